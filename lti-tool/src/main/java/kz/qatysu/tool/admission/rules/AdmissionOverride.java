package kz.qatysu.tool.admission.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * The dean's office's decision on the final exam admission as a whole: it wins over the computed decision until it is
 * withdrawn, and both stay visible. It does not touch the in-term gate (that is the attendance override's).
 */
public record AdmissionOverride(Decision decision, String reason, String by, Instant at) {
    public enum Decision {
        ADMITTED,
        NOT_ADMITTED
    }

    public AdmissionOverride {
        Objects.requireNonNull(decision, "decision");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required for an admission override");
        }
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("by is required for an admission override");
        }
        Objects.requireNonNull(at, "at");
    }

    public boolean admits() {
        return decision == Decision.ADMITTED;
    }
}
