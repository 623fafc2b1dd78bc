package kz.qatysu.tool.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing the admin token without ever refusing the right one. Only <em>wrong</em> tokens are
 * throttled, per client address ({@link kz.qatysu.tool.web.ClientAddress}, so deans behind one reverse proxy are
 * told apart when {@code http.trustedProxies} is set):
 * <ul>
 *   <li>every wrong token is answered after {@link #BASE_DELAY}; after {@value #FREE_FAILURES} of them the address is
 *       backed off: each further wrong token waits twice as long as the one before, up to {@link #MAX_DELAY}, and is
 *       answered 429;</li>
 *   <li>a backed-off address may have at most {@value #MAX_PENDING} sign-ins in progress at once; more are refused
 *       at once without looking at the token (the refusal says nothing about it), so waiting cannot be sidestepped by
 *       sending many in parallel;</li>
 *   <li>a right token is always accepted when it is looked at, and clears the address's count; the count also
 *       lapses {@link #FORGET_AFTER} after the last wrong token.</li>
 * </ul>
 * So one address tests at most {@value #MAX_PENDING} tokens per {@code MAX_DELAY} once backed off, against a token
 * of at least 16 characters ({@code admin.token}) or a 256-bit issued one. Kept in memory: per instance.
 */
public final class SignInThrottle {
    static final int FREE_FAILURES = 5;
    static final int MAX_PENDING = 2;
    static final Duration BASE_DELAY = Duration.ofMillis(300);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);

    private final Clock clock;
    private final ConcurrentHashMap<String, State> byAddress = new ConcurrentHashMap<>();

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** What a wrong token cost: the address's count of wrong tokens and the wait before the answer. */
    public record Failure(int count, Duration delay) {
        public boolean backedOff() {
            return count > FREE_FAILURES;
        }
    }

    /** A sign-in in progress from one address; close it when answered. */
    public final class Attempt implements AutoCloseable {
        private final String address;

        private Attempt(String address) {
            this.address = address;
        }

        /** Records a wrong token and waits the backoff before returning (the caller then answers). */
        public Failure failed() {
            Instant now = clock.instant();
            State s = byAddress.compute(address, (a, st) -> {
                State cur = st == null || expired(st, now) ? new State(0, now, st == null ? 1 : st.pending) : st;
                return new State(cur.failures + 1, now, cur.pending);
            });
            Failure f = new Failure(s.failures, delay(s.failures));
            try {
                Thread.sleep(f.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return f;
        }

        /** The right token: the address starts afresh. */
        public void succeeded() {
            byAddress.computeIfPresent(address, (a, st) -> new State(0, clock.instant(), st.pending));
        }

        @Override
        public void close() {
            byAddress.computeIfPresent(address, (a, st) -> st.pending <= 1 && st.failures == 0
                    ? null : new State(st.failures, st.lastFailure, st.pending - 1));
        }
    }

    /**
     * Starts a sign-in from {@code address}, or returns null when the address is backed off and already has
     * {@value #MAX_PENDING} sign-ins in progress (answer 429 without looking at the token).
     */
    public Attempt begin(String address) {
        Instant now = clock.instant();
        boolean[] admitted = {false};
        byAddress.compute(address, (a, st) -> {
            State cur = st == null ? new State(0, now, 0) : expired(st, now) ? new State(0, now, st.pending) : st;
            if (cur.failures >= FREE_FAILURES && cur.pending >= MAX_PENDING) {
                return cur;
            }
            admitted[0] = true;
            return new State(cur.failures, cur.lastFailure, cur.pending + 1);
        });
        if (byAddress.size() > 10_000) {
            byAddress.entrySet().removeIf(e -> e.getValue().pending == 0 && expired(e.getValue(), now));
        }
        return admitted[0] ? new Attempt(address) : null;
    }

    /** The wait before answering the {@code count}-th wrong token in a row. */
    static Duration delay(int count) {
        if (count <= FREE_FAILURES) {
            return BASE_DELAY;
        }
        int doublings = Math.min(count - FREE_FAILURES, 20);
        Duration d = BASE_DELAY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    private static boolean expired(State s, Instant now) {
        return s.failures > 0 && s.lastFailure.plus(FORGET_AFTER).isBefore(now);
    }

    private record State(int failures, Instant lastFailure, int pending) {
    }
}
