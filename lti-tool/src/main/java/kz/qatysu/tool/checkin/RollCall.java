package kz.qatysu.tool.checkin;

import java.time.Instant;

/** A presence check during an online class: students confirm until {@code deadline}. */
public record RollCall(long id, String sessionId, String sectionId, String startedBy, Instant startedAt, Instant deadline) {
    public boolean running(Instant at) {
        return !at.isAfter(deadline);
    }
}
