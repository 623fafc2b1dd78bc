package kz.qatysu.demo.platform;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The platform's server-side state of a browser: who is logged in (Moodle's {@code $USER}), the launches it
 * started and not yet completed (Moodle keeps them in {@code $SESSION} under the launch id, single use), and the
 * deep-linking requests awaiting the tool's response. In memory, bounded by expiry.
 */
final class PlatformSessions {
    static final Duration SESSION_LIFETIME = Duration.ofHours(8);
    static final Duration LAUNCH_LIFETIME = Duration.ofMinutes(10);
    static final Duration DEEP_LINK_LIFETIME = Duration.ofHours(1);
    private static final int SWEEP_EVERY = 512;

    enum Variant { MOODLE, OPENEDX }

    enum MessageType {
        RESOURCE_LINK("LtiResourceLinkRequest"), DEEP_LINKING("LtiDeepLinkingRequest"),
        START_PROCTORING("LtiStartProctoring"), END_ASSESSMENT("LtiEndAssessment");

        final String claim;

        MessageType(String claim) {
            this.claim = claim;
        }
    }

    record Session(String id, String userId, String sesskey, Instant created) {
    }

    /**
     * A launch started on the demo page and waiting for the tool's authentication request.
     * {@code resourceLinkId} is null for deep linking; {@code dlData} is the deep-linking {@code data} to echo, or null.
     */
    record PendingLaunch(String messageHint, String sessionId, String userId, Variant variant, MessageType type,
                         String resourceLinkId, String documentTarget, String dlData, Instant created) {
    }

    /** A deep-linking request whose response is expected at the content-item return URL carrying {@code sesskey}. */
    record DeepLinkRequest(String returnKey, String userId, String deploymentId, String dlData, Instant created) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, PendingLaunch> launches = new ConcurrentHashMap<>();
    private final Map<String, DeepLinkRequest> deepLinks = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    PlatformSessions(Clock clock) {
        this.clock = clock;
    }

    Session login(String userId) {
        sweepNow();
        Session s = new Session(randomHex(16), userId, randomHex(5), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    Optional<Session> session(String sessionId) {
        if (sessionId == null) {
            return Optional.empty();
        }
        Session s = sessions.get(sessionId);
        if (s == null || expired(s.created(), SESSION_LIFETIME)) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Stores a launch under {@code messageHint} (Moodle's launch id, or Open edX's hint). */
    PendingLaunch startLaunch(String messageHint, Session session, Variant variant, MessageType type, String resourceLinkId,
                              String documentTarget, String dlData) {
        sweepNow();
        PendingLaunch launch = new PendingLaunch(messageHint, session.id(), session.userId(), variant, type, resourceLinkId,
                documentTarget, dlData, clock.instant());
        launches.put(messageHint, launch);
        return launch;
    }

    /** Moodle: the launch leaves the session when the auth request reads it, so it cannot be replayed. */
    Optional<PendingLaunch> takeLaunch(String messageHint) {
        PendingLaunch l = launches.remove(messageHint);
        return l == null || expired(l.created(), LAUNCH_LIFETIME) ? Optional.empty() : Optional.of(l);
    }

    /** Open edX: the launch data stays cached (600 s) and the hint may be used again. */
    Optional<PendingLaunch> peekLaunch(String messageHint) {
        PendingLaunch l = launches.get(messageHint);
        return l == null || expired(l.created(), LAUNCH_LIFETIME) ? Optional.empty() : Optional.of(l);
    }

    DeepLinkRequest expectDeepLinkResponse(String userId, String deploymentId, String dlData) {
        sweepNow();
        DeepLinkRequest r = new DeepLinkRequest(randomHex(8), userId, deploymentId, dlData, clock.instant());
        deepLinks.put(r.returnKey(), r);
        return r;
    }

    Optional<DeepLinkRequest> deepLinkRequest(String returnKey) {
        if (returnKey == null) {
            return Optional.empty();
        }
        DeepLinkRequest r = deepLinks.get(returnKey);
        return r == null || expired(r.created(), DEEP_LINK_LIFETIME) ? Optional.empty() : Optional.of(r);
    }

    /** A deep-linking request is answered once: a second response to the same return URL is refused. */
    boolean finishDeepLinkRequest(String returnKey) {
        return deepLinks.remove(returnKey) != null;
    }

    String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    int pendingLaunchCount() {
        return launches.size();
    }

    private boolean expired(Instant created, Duration lifetime) {
        return created.plus(lifetime).isBefore(clock.instant());
    }

    private void sweepNow() {
        if (writes.incrementAndGet() % SWEEP_EVERY != 0) {
            return;
        }
        sessions.values().removeIf(s -> expired(s.created(), SESSION_LIFETIME));
        launches.values().removeIf(l -> expired(l.created(), LAUNCH_LIFETIME));
        deepLinks.values().removeIf(r -> expired(r.created(), DEEP_LINK_LIFETIME));
    }
}
