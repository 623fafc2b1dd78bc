package kz.qatysu.tool.checkin;

import kz.qatysu.tool.util.Tokens;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The six-digit code a check-in shows: HMAC-SHA256 of the time step under the check-in's secret, truncated the
 * way RFC 4226 §5.3 truncates (dynamic offset, 31 bits, modulo 10^6) — TOTP (RFC 6238) with the check-in's own
 * step. A code stays valid for its step and the next one, so a student who reads it at the end of a step still
 * has a full step to type it.
 */
public final class RotatingCode {
    public static final int DIGITS = 6;

    private final byte[] secret;
    private final int stepSeconds;

    public RotatingCode(byte[] secret, int stepSeconds) {
        if (stepSeconds <= 0) {
            throw new IllegalArgumentException("stepSeconds must be > 0, was " + stepSeconds);
        }
        this.secret = secret.clone();
        this.stepSeconds = stepSeconds;
    }

    public long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), stepSeconds);
    }

    /** Seconds until the code shown at {@code at} changes. */
    public int secondsLeft(Instant at) {
        return (int) ((step(at) + 1) * stepSeconds - at.getEpochSecond());
    }

    public String codeAt(Instant at) {
        return code(step(at));
    }

    public String code(long step) {
        byte[] h = hmac(ByteBuffer.allocate(8).putLong(step).array());
        int offset = h[h.length - 1] & 0x0f;
        int bin = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
        return String.format("%0" + DIGITS + "d", bin % 1_000_000);
    }

    /** True when {@code given} is the code of the current or the previous step (compared in constant time). */
    public boolean accepts(String given, Instant at) {
        if (given == null) {
            return false;
        }
        String g = given.replaceAll("\\s", "");
        long now = step(at);
        boolean ok = false;
        for (long s = now - 1; s <= now; s++) {
            ok |= MessageDigest.isEqual(code(s).getBytes(StandardCharsets.US_ASCII), g.getBytes(StandardCharsets.US_ASCII));
        }
        return ok;
    }

    private byte[] hmac(byte[] message) {
        return Tokens.hmacSha256(secret, message);
    }
}
