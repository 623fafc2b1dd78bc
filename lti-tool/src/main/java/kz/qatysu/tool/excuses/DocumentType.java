package kz.qatysu.tool.excuses;

import java.util.Arrays;
import java.util.Optional;

/**
 * The document types an excuse may carry, recognised by their first bytes — never by the file name or the
 * browser's Content-Type, both of which the uploader controls. The stored type decides the served Content-Type.
 */
public enum DocumentType {
    PDF("application/pdf", "pdf", new byte[]{'%', 'P', 'D', 'F', '-'}),
    JPEG("image/jpeg", "jpg", new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
    PNG("image/png", "png", new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});

    /** The longest signature: how many leading bytes {@link #detect} needs. */
    public static final int SIGNATURE_BYTES = 8;

    private final String contentType;
    private final String extension;
    private final byte[] signature;

    DocumentType(String contentType, String extension, byte[] signature) {
        this.contentType = contentType;
        this.extension = extension;
        this.signature = signature;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** The type whose signature {@code head} starts with, if any. */
    public static Optional<DocumentType> detect(byte[] head, int length) {
        for (DocumentType t : values()) {
            if (length >= t.signature.length && Arrays.equals(head, 0, t.signature.length, t.signature, 0, t.signature.length)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
