package kz.qatysu.tool.proctoring.analysis;

/**
 * Checks a picture's bytes before any decoder sees them: a JPEG or PNG by its first bytes (never by name or
 * Content-Type), complete (a JPEG ends with its EOI marker, a PNG with its IEND chunk: decoders silently fill in a
 * truncated picture), and with a size from its header that is not a decompression bomb.
 */
public final class ImageFormat {
    /** Largest picture accepted, in pixels (a 50 MP photograph; a phone's is 12–48 MP). */
    public static final long MAX_PIXELS = 50_000_000L;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] IEND = {'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};
    /** Bytes a camera or editor may append after a JPEG's EOI marker. */
    private static final int JPEG_TRAILER = 64 * 1024;

    public enum Type { JPEG, PNG }

    /** The picture's type and header size. */
    public record Header(Type type, int width, int height) {
    }

    private ImageFormat() {
    }

    /** The checked header; {@link UnreadableImage} saying what is wrong otherwise. */
    public static Header check(byte[] b) {
        if (b.length == 0) {
            throw new UnreadableImage("the file is empty");
        }
        Header h;
        if (startsWith(b, PNG)) {
            h = png(b);
        } else if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            h = jpeg(b);
        } else {
            throw new UnreadableImage("not a JPEG or PNG picture (judged by its first bytes)");
        }
        if (h.width() <= 0 || h.height() <= 0) {
            throw new UnreadableImage("the picture's header gives no size");
        }
        if ((long) h.width() * h.height() > MAX_PIXELS) {
            throw new UnreadableImage("the picture has " + h.width() + "×" + h.height() + " pixels; at most "
                    + MAX_PIXELS / 1_000_000 + " megapixels are analysed");
        }
        return h;
    }

    private static Header png(byte[] b) {
        if (b.length < 33 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new UnreadableImage("a PNG without its header chunk (truncated)");
        }
        if (!endsWithIend(b)) {
            throw new UnreadableImage("the PNG is incomplete: it does not end with its IEND chunk (truncated upload?)");
        }
        return new Header(Type.PNG, int32(b, 16), int32(b, 20));
    }

    private static boolean endsWithIend(byte[] b) {
        for (int end = b.length; end >= Math.max(IEND.length, b.length - 1024); end--) {
            if (regionEquals(b, end - IEND.length, IEND)) {
                return true;
            }
        }
        return false;
    }

    private static Header jpeg(byte[] b) {
        int eoi = -1;
        for (int i = b.length - 2; i >= Math.max(2, b.length - JPEG_TRAILER); i--) {
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xd9) {
                eoi = i;
                break;
            }
        }
        if (eoi < 0) {
            throw new UnreadableImage("the JPEG is incomplete: it does not end with its end-of-image marker (truncated upload?)");
        }
        // walk the marker segments up to the frame header (SOFn) for the size
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xff) != 0xff) {
                throw new UnreadableImage("a damaged JPEG: no marker at byte " + i);
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof) {
                int height = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                int width = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                return new Header(Type.JPEG, width, height);
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                break;
            }
            i += 2 + length;
        }
        throw new UnreadableImage("a damaged JPEG: no frame header before the image data");
    }

    private static int int32(byte[] b, int at) {
        long v = ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && regionEquals(b, 0, prefix);
    }

    private static boolean regionEquals(byte[] b, int at, byte[] expected) {
        if (at < 0 || at + expected.length > b.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (b[at + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
