package kz.qatysu.tool.observe;

import io.javalin.http.Context;
import kz.qatysu.tool.checkin.IpRanges;
import org.slf4j.MDC;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A request id for every request: the {@code X-Request-Id} a trusted reverse proxy ({@code security.trustedProxies})
 * sent when it is well-formed (1–64 of {@code A-Z a-z 0-9 . _ : -}), else a new random one. It is returned in the
 * response's {@code X-Request-Id} and is in the logging MDC as {@code requestId} for every log line of the request.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IpRanges trustedProxies;

    public RequestIds(IpRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** The first before-handler. */
    public void start(Context ctx) {
        String id = choose(ctx.header(HEADER), ctx.req().getRemoteAddr());
        MDC.put(MDC_KEY, id);
        ctx.header(HEADER, id);
    }

    /** Called by the request logger, after everything else of the request. */
    public static void finish() {
        MDC.remove(MDC_KEY);
    }

    /** The proxy's id when the peer is a trusted proxy and the id is well-formed, else a new one (pure but for the random). */
    String choose(String offered, String peer) {
        if (offered != null && trustedProxies.contains(peer) && WELL_FORMED.matcher(offered).matches()) {
            return offered;
        }
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
