package kz.qatysu.tool.proctoring.attempts;

import java.time.Instant;
import java.util.Optional;

/** An examinee's attempt at a proctored exam (one per exam and person; a reopened window continues it). */
public record Attempt(String id, String examId, String personId, AttemptState state, Identity identity,
                      int identityTries, Optional<String> idPhotoKey, Optional<String> livePhotoKey,
                      Optional<String> roomScanKey, Optional<String> recordingId, Instant createdAt,
                      Optional<Instant> consentAt, Optional<Instant> refusedAt, Optional<Instant> startedAt,
                      Optional<Instant> endedAt, Optional<Instant> lastHeartbeatAt) {

    /** The identity check's outcome: NOT_VERIFIED is a flag for the proctor, not a block. */
    public enum Identity { PENDING, VERIFIED, NOT_VERIFIED, NOT_REQUIRED }
}
