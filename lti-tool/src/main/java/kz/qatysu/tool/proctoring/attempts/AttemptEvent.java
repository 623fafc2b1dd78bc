package kz.qatysu.tool.proctoring.attempts;

import java.time.Instant;
import java.util.Optional;

/** One line of an attempt's log; {@code snapshotKey} names the snapshot that is its evidence, when there is one. */
public record AttemptEvent(long id, String attemptId, Instant at, EventType type, EventType.Severity severity,
                           String detail, Optional<String> snapshotKey) {
}
