package kz.qatysu.tool.proctoring.review;

import io.javalin.http.Context;
import kz.qatysu.tool.proctoring.media.ProctoringMedia;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends evidence (decrypted media) to a reviewer: never cached, never sniffed, and a recording with HTTP Range support
 * so the browser's player can ask for parts of it ({@code 206 Partial Content}). A simple version: each range re-reads
 * the recording from its start (the media are AES-GCM segments, decrypted in order).
 */
final class Evidence {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private Evidence() {
    }

    /** A byte range [first, last] of an object of {@code size} bytes. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    /**
     * The single range a {@code Range} header asks for within {@code size} bytes: empty for no header or one this
     * server ignores (several ranges: the whole object is sent); {@code null} when it cannot be satisfied (416).
     */
    static Optional<Range> range(String header, long size) {
        if (header == null || header.contains(",")) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    return null;
                }
                return Optional.of(new Range(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                return null;
            }
            return Optional.of(new Range(first, last));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void send(Context ctx, ProctoringMedia.Opened o) {
        headers(ctx, o);
        ctx.header("Content-Length", String.valueOf(o.size()));
        ctx.result(o.content());
    }

    static void sendRanged(Context ctx, ProctoringMedia.Opened o) throws IOException {
        headers(ctx, o);
        ctx.header("Accept-Ranges", "bytes");
        Optional<Range> r = range(ctx.header("Range"), o.size());
        if (r == null) {
            o.close();
            ctx.header("Content-Range", "bytes */" + o.size());
            ctx.status(416);
            return;
        }
        if (r.isEmpty()) {
            ctx.header("Content-Length", String.valueOf(o.size()));
            ctx.result(o.content());
            return;
        }
        Range range = r.get();
        InputStream in = o.content();
        in.skipNBytes(range.first());
        ctx.status(206);
        ctx.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + o.size());
        ctx.header("Content-Length", String.valueOf(range.length()));
        ctx.result(new BoundedInput(in, range.length()));
    }

    private static void headers(Context ctx, ProctoringMedia.Opened o) {
        ctx.contentType(o.type().contentType());
        ctx.header("Cache-Control", "private, no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    /** At most {@code remaining} bytes of {@code in}; closing it closes {@code in}. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInput(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
