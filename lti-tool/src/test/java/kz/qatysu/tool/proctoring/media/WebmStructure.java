package kz.qatysu.tool.proctoring.media;

import java.util.ArrayList;
import java.util.List;

/**
 * What a WebM file's Segment holds at its top level, read from the EBML structure (test code): whether it has
 * Cues (the seek index) and a Duration in its Info. A live WebM (MediaRecorder's) has a Segment and Clusters of
 * unknown size, no Cues and no Duration; the walk stops at the first element of unknown size.
 */
public record WebmStructure(List<String> topLevel, boolean hasCues, boolean hasDuration, boolean unknownSizes) {
    static final long EBML = 0x1A45DFA3L;
    static final long SEGMENT = 0x18538067L;
    static final long INFO = 0x1549A966L;
    static final long DURATION = 0x4489L;
    static final long CUES = 0x1C53BB6BL;
    static final long CLUSTER = 0x1F43B675L;

    public static WebmStructure of(byte[] file) {
        int[] at = {0};
        long id = id(file, at);
        if (id != EBML) {
            throw new IllegalArgumentException("not EBML");
        }
        long size = size(file, at);
        at[0] += (int) size;
        if (id(file, at) != SEGMENT) {
            throw new IllegalArgumentException("no Segment after the EBML header");
        }
        long segmentSize = size(file, at);
        boolean unknown = segmentSize < 0;
        long end = unknown ? file.length : Math.min(file.length, at[0] + segmentSize);
        List<String> names = new ArrayList<>();
        boolean cues = false;
        boolean duration = false;
        while (at[0] < end) {
            long child = id(file, at);
            long childSize = size(file, at);
            names.add(name(child));
            if (child == CUES) {
                cues = true;
            }
            if (child == INFO) {
                int[] in = {at[0]};
                while (in[0] < at[0] + childSize) {
                    long infoChild = id(file, in);
                    long infoSize = size(file, in);
                    duration |= infoChild == DURATION;
                    in[0] += (int) infoSize;
                }
            }
            if (childSize < 0) {
                unknown = true;
                break;
            }
            at[0] += (int) childSize;
        }
        return new WebmStructure(names, cues, duration, unknown);
    }

    private static String name(long id) {
        return switch ((int) id) {
            case 0x114D9B74 -> "SeekHead";
            case 0x1549A966 -> "Info";
            case 0x1654AE6B -> "Tracks";
            case 0x1F43B675 -> "Cluster";
            case 0x1C53BB6B -> "Cues";
            case 0x1254C367 -> "Tags";
            case 0xEC -> "Void";
            default -> Long.toHexString(id);
        };
    }

    private static long id(byte[] b, int[] at) {
        int first = b[at[0]] & 0xFF;
        int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | (b[at[0] + i] & 0xFF);
        }
        at[0] += length;
        return v;
    }

    /** The element size, -1 when unknown (all value bits set). */
    private static long size(byte[] b, int[] at) {
        int first = b[at[0]] & 0xFF;
        int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
        long v = first & (0xFF >> length);
        boolean allOnes = v == (0xFF >> length);
        for (int i = 1; i < length; i++) {
            int x = b[at[0] + i] & 0xFF;
            allOnes &= x == 0xFF;
            v = (v << 8) | x;
        }
        at[0] += length;
        return allOnes ? -1 : v;
    }
}
