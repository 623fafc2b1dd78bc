package kz.qatysu.tool.attendance;

import java.time.Instant;
import java.util.Objects;

/**
 * Who changed attendance data, when, and through what — written into every audit and history row.
 *
 * @param by      the API caller's name (the token's name, e.g. {@code sync-daemon}, or {@code admin})
 * @param at      one instant for the whole request, truncated to microseconds as PostgreSQL stores it
 * @param trigger what the request was, e.g. {@code marks of session S-3}
 */
public record ChangeSource(String by, Instant at, String trigger) {
    public ChangeSource {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(trigger, "trigger");
        at = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
