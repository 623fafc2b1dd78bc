package kz.qatysu.tool.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Caps the uploads handled at once (see {@link HttpLimits}): per course session (the {@code {launch}} of the path),
 * per client address and in the whole tool. An upload over the session's or the address's cap is refused at once;
 * one that finds the tool's slots taken waits up to {@code http.uploadSlotWait} for one. A refusal is an
 * {@link UploadRefused} naming the cap, answered before the body is read, so a burst of slow uploads can hold only a
 * bounded number of the server's threads.
 * <p>A resend of an upload that is still being received (the same snapshot id or chunk index of the same session —
 * a browser that lost the answer of the first send) waits for the first to end and then runs (the handler finds it
 * stored and says so) instead of taking a second slot or being refused.
 */
public final class UploadSlots {
    /** Seconds a refused form upload (excuse documents, participant CSVs) is asked to wait. */
    static final int RETRY_AFTER_SECONDS = 10;
    /** Seconds a refused proctoring upload is asked to wait: monitor.js jitters it to 1–2 s and its queue waits behind it. */
    static final int PROCTORING_RETRY_AFTER_SECONDS = 1;
    /** How long a resend waits for the same upload's first send to end before it is refused. */
    static final long SAME_UPLOAD_WAIT_MILLIS = 10_000;

    /**
     * How a route's uploads are refused and recognised.
     *
     * @param retryAfterSeconds the refusal's {@code Retry-After}
     * @param json              the route answers JSON (the examinee's scripts), not a page
     * @param sameUpload        the upload's identity within its session (e.g. {@code "snapshot <id>"}), or null when
     *                          it has none; a resend with the same identity waits for the first instead of racing it
     */
    public record Policy(int retryAfterSeconds, boolean json, Function<Context, String> sameUpload) {
    }

    /** Form uploads: a page with the refusal, retry in 10 s. */
    public static final Policy FORMS = new Policy(RETRY_AFTER_SECONDS, false, ctx -> null);

    /** The examinee's uploads: JSON, retry in 1 s; {@code sameUpload} names a resendable upload. */
    public static Policy proctoring(Function<Context, String> sameUpload) {
        return new Policy(PROCTORING_RETRY_AFTER_SECONDS, true, sameUpload);
    }

    private final HttpLimits limits;
    private final ClientAddress clientAddress;
    private final Semaphore all;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CountDownLatch> inFlight = new ConcurrentHashMap<>();

    public UploadSlots(HttpLimits limits, ClientAddress clientAddress) {
        this.limits = limits;
        this.clientAddress = clientAddress;
        this.all = new Semaphore(limits.maxConcurrentUploads(), true);
    }

    /** A form upload ({@link #FORMS}) run only while it holds its slots. */
    public Handler limit(Handler upload) {
        return limit(upload, FORMS);
    }

    /**
     * {@code upload} run only while it holds a slot of its session (routes with a {@code {launch}}), of its address
     * and of the tool.
     */
    public Handler limit(Handler upload, Policy policy) {
        return ctx -> {
            String launch = ctx.pathParamMap().get("launch");
            // an API upload (no course session) counts against its address and the tool only
            String session = launch == null ? null : "session " + launch;
            String address = "address " + clientAddress.of(ctx);
            String id = policy.sameUpload().apply(ctx);
            String same = id == null ? null : (session == null ? address : session) + " " + id;
            CountDownLatch mine = same == null ? null : awaitSameUpload(same, policy);
            try {
                if (!take(session, limits.maxConcurrentUploadsPerSession())) {
                    throw refused(policy, UploadRefused.Reason.PER_SESSION,
                            "this session already sends " + limits.maxConcurrentUploadsPerSession() + " upload(s)");
                }
                if (!take(address, limits.maxConcurrentUploadsPerAddress())) {
                    give(session);
                    throw refused(policy, UploadRefused.Reason.PER_ADDRESS,
                            "this address already sends " + limits.maxConcurrentUploadsPerAddress() + " upload(s)");
                }
                if (!slot()) {
                    give(session);
                    give(address);
                    throw refused(policy, UploadRefused.Reason.UPLOAD_SLOTS,
                            "the tool already receives " + limits.maxConcurrentUploads() + " uploads");
                }
                try {
                    upload.handle(ctx);
                } finally {
                    all.release();
                    give(session);
                    give(address);
                }
            } finally {
                if (mine != null) {
                    inFlight.remove(same, mine);
                    mine.countDown();
                }
            }
        };
    }

    /** Uploads being handled now in the whole tool (for tests and the bench). */
    public int inUse() {
        return limits.maxConcurrentUploads() - all.availablePermits();
    }

    /** A tool-wide slot, waiting up to {@code http.uploadSlotWait} for one (in order of arrival). */
    private boolean slot() {
        try {
            return all.tryAcquire(limits.uploadSlotWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Marks {@code key} in flight, first waiting (bounded) for an earlier send of the same upload to end. */
    private CountDownLatch awaitSameUpload(String key, Policy policy) {
        CountDownLatch mine = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SAME_UPLOAD_WAIT_MILLIS);
        while (true) {
            CountDownLatch first = inFlight.putIfAbsent(key, mine);
            if (first == null) {
                return mine;
            }
            boolean ended;
            try {
                ended = first.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = false;
            }
            if (!ended) {
                throw refused(policy, UploadRefused.Reason.SAME_UPLOAD, "the same upload is still being received");
            }
        }
    }

    private boolean take(String key, int max) {
        if (key == null) {
            return true;
        }
        boolean[] taken = {false};
        held.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    private void give(String key) {
        if (key == null) {
            return;
        }
        held.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static UploadRefused refused(Policy policy, UploadRefused.Reason reason, String why) {
        return new UploadRefused(429, reason, policy.retryAfterSeconds(), policy.json(), "too many uploads at once: " + why
                + "; try again in " + policy.retryAfterSeconds() + (policy.retryAfterSeconds() == 1 ? " second" : " seconds"));
    }
}
