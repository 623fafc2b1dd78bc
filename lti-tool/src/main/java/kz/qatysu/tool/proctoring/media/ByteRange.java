package kz.qatysu.tool.proctoring.media;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an HTTP {@code Range} request (RFC 9110 §14), both ends inclusive and inside the object.
 *
 * @param first the first byte
 * @param last  the last byte ({@code ≥ first}, {@code < size})
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=([0-9]{0,18})-([0-9]{0,40})");

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bytes " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The value of the {@code Content-Range} header for this range of an object of {@code size} bytes. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header asks of an object of {@code size} bytes: empty = send the whole object
     * (no header, another unit, several ranges or a malformed one, which a server may ignore); a range starting at or
     * past the end, or an empty suffix, is refused with 416 (field {@code range}).
     */
    public static Optional<ByteRange> requested(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.strip().toLowerCase(Locale.ROOT).replace(" ", ""));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        if (m.group(1).isEmpty()) { // the last n bytes
            if (m.group(2).length() > 18) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(2));
            if (n == 0 || size == 0) {
                throw unsatisfiable(header, size);
            }
            return Optional.of(new ByteRange(Math.max(0, size - n), size - 1));
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() || m.group(2).length() > 18 ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        if (last < first) {
            return Optional.empty();
        }
        if (first >= size) {
            throw unsatisfiable(header, size);
        }
        return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    }

    private static MediaRefused unsatisfiable(String header, long size) {
        return new MediaRefused(416, "range", "'" + header + "' is outside the " + size + " bytes of the media");
    }
}
