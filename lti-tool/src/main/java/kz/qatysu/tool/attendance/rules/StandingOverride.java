package kz.qatysu.tool.attendance.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A dean's-office decision that wins over the computed state until it is withdrawn (DESIGN.md,
 * "The absence arithmetic, exactly"). Named {@code StandingOverride} rather than {@code Override}
 * so that it never shadows {@code java.lang.Override} inside this package.
 */
public record StandingOverride(Decision decision, String reason, String by, Instant at) {

    /** The API's {@code override.state}. */
    public enum Decision {
        /** Admitted to assessments despite the absences; the effective state becomes OK. */
        ADMITTED,
        /** Locked out of assessments whatever the absences. */
        LOCKED
    }

    public StandingOverride {
        Objects.requireNonNull(decision, "decision is required");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required for an override");
        }
        if (by == null || by.isBlank()) {
            throw new IllegalArgumentException("by is required for an override");
        }
        Objects.requireNonNull(at, "at is required");
    }

    public static StandingOverride admitted(String reason, String by, Instant at) {
        return new StandingOverride(Decision.ADMITTED, reason, by, at);
    }

    public static StandingOverride locked(String reason, String by, Instant at) {
        return new StandingOverride(Decision.LOCKED, reason, by, at);
    }

    /** The state a student with this override is shown in. */
    public StandingState effectiveState() {
        return decision == Decision.LOCKED ? StandingState.LOCKED : StandingState.OK;
    }
}
