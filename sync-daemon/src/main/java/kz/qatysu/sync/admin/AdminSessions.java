package kz.qatysu.sync.admin;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in administrators, in this process's memory only (a restart signs everyone out; in a cluster each node has
 * its own). The cookie carries a random id and nothing else; the CSRF token lives beside it on the server.
 */
final class AdminSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(8);
    private static final int MAX = 200;

    record Session(String id, String csrf, Instant created, Instant lastSeen, String flash) {
        Session touched(Instant at) {
            return new Session(id, csrf, created, at, flash);
        }

        Session withFlash(String text) {
            return new Session(id, csrf, created, lastSeen, text);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    AdminSessions(Clock clock) {
        this.clock = clock;
    }

    String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    Session open() {
        Instant now = clock.instant();
        if (sessions.size() >= MAX) {
            sessions.values().stream().min(Comparator.comparing(Session::lastSeen)).ifPresent(s -> sessions.remove(s.id()));
        }
        Session s = new Session(randomToken(), randomToken(), now, now, null);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id (its idle clock restarted), or empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.created().plus(ABSOLUTE))) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session t = s.touched(now);
        sessions.put(id, t);
        return Optional.of(t);
    }

    void flash(Session s, String text) {
        sessions.computeIfPresent(s.id(), (k, v) -> v.withFlash(text));
    }

    /** The message left for the next page, once. */
    String takeFlash(Session s) {
        Session now = sessions.get(s.id());
        if (now == null || now.flash() == null) {
            return null;
        }
        sessions.put(s.id(), now.withFlash(null));
        return now.flash();
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }
}
