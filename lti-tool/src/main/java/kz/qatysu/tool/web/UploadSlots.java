package kz.qatysu.tool.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps the uploads handled at once (see {@link HttpLimits}): per course session (the {@code {launch}} of the path),
 * per client address and in the whole tool. An upload over a cap is answered 429 with {@code Retry-After} before
 * its body is read, so a burst of slow uploads can hold only a bounded number of the server's threads.
 */
public final class UploadSlots {
    /** Seconds a refused client is asked to wait. */
    static final int RETRY_AFTER_SECONDS = 10;

    private final HttpLimits limits;
    private final ClientAddress clientAddress;
    private final Semaphore all;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    public UploadSlots(HttpLimits limits, ClientAddress clientAddress) {
        this.limits = limits;
        this.clientAddress = clientAddress;
        this.all = new Semaphore(limits.maxConcurrentUploads());
    }

    /**
     * {@code upload} run only while it holds a slot of its session (routes with a {@code {launch}}), of its address
     * and of the tool.
     */
    public Handler limit(Handler upload) {
        return ctx -> {
            String launch = ctx.pathParamMap().get("launch");
            // an API upload (no course session) counts against its address and the tool only
            String session = launch == null ? null : "session " + launch;
            String address = "address " + clientAddress.of(ctx);
            if (!take(session, limits.maxConcurrentUploadsPerSession())) {
                refuse(ctx, "this session already sends " + limits.maxConcurrentUploadsPerSession() + " upload(s)");
            }
            if (!take(address, limits.maxConcurrentUploadsPerAddress())) {
                give(session);
                refuse(ctx, "this address already sends " + limits.maxConcurrentUploadsPerAddress() + " upload(s)");
            }
            if (!all.tryAcquire()) {
                give(session);
                give(address);
                refuse(ctx, "the tool already receives " + limits.maxConcurrentUploads() + " uploads");
            }
            try {
                upload.handle(ctx);
            } finally {
                all.release();
                give(session);
                give(address);
            }
        };
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

    private static void refuse(Context ctx, String why) {
        ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        throw new HttpResponseException(429, "too many uploads at once: " + why + "; try again in "
                + RETRY_AFTER_SECONDS + " seconds");
    }
}
