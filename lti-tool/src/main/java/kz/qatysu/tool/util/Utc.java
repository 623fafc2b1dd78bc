package kz.qatysu.tool.util;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/** Instants as the JDBC driver binds {@code TIMESTAMPTZ} parameters: an {@link OffsetDateTime} in UTC. */
public final class Utc {
    private Utc() {
    }

    public static OffsetDateTime of(Instant i) {
        return OffsetDateTime.ofInstant(Objects.requireNonNull(i, "instant"), ZoneOffset.UTC);
    }

    /** The same, null for null (optional columns). */
    public static OffsetDateTime ofNullable(Instant i) {
        return i == null ? null : of(i);
    }
}
