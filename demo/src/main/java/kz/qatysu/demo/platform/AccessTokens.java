package kz.qatysu.demo.platform;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Opaque bearer tokens for the LTI Advantage services, 32 hex digits like Moodle's, valid one hour. */
final class AccessTokens {
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final int SWEEP_EVERY = 256;

    record Grant(String token, List<String> scopes, Instant expires) {
        boolean allows(String scope) {
            return scopes.contains(scope);
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();

    AccessTokens(Clock clock) {
        this.clock = clock;
    }

    Grant issue(List<String> scopes) {
        if (issued.incrementAndGet() % SWEEP_EVERY == 0) {
            Instant now = clock.instant();
            grants.values().removeIf(g -> g.expires().isBefore(now));
        }
        byte[] b = new byte[16];
        random.nextBytes(b);
        Grant g = new Grant(HexFormat.of().formatHex(b), List.copyOf(scopes), clock.instant().plus(LIFETIME));
        grants.put(g.token(), g);
        return g;
    }

    /** The grant behind an {@code Authorization: Bearer} header value, if it is known and not expired. */
    Optional<Grant> fromAuthorizationHeader(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        Grant g = grants.get(header.substring(7).trim());
        return g == null || g.expires().isBefore(clock.instant()) ? Optional.empty() : Optional.of(g);
    }
}
