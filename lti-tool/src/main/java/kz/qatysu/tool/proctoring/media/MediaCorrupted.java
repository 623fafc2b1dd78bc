package kz.qatysu.tool.proctoring.media;

import java.io.IOException;

/** A stored object that does not decrypt: changed, truncated, reordered, or encrypted with a key that is not configured. */
public final class MediaCorrupted extends IOException {
    public MediaCorrupted(String message) {
        super(message);
    }
}
