package kz.qatysu.tool.proctoring.media;

import java.util.Optional;

/** The media the store accepts, told by their first bytes (never by a name or a declared content type). */
public enum MediaType {
    JPEG("image/jpeg", "jpg", new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
    PNG("image/png", "png", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
    /** WebM / Matroska: the EBML header element id; what {@code MediaRecorder} produces. */
    WEBM("video/webm", "webm", new byte[]{0x1A, 0x45, (byte) 0xDF, (byte) 0xA3});

    /** How many leading bytes {@link #detect} needs. */
    public static final int SIGNATURE_BYTES = 8;

    private final String contentType;
    private final String extension;
    private final byte[] magic;

    MediaType(String contentType, String extension, byte[] magic) {
        this.contentType = contentType;
        this.extension = extension;
        this.magic = magic;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** Whether the {@code length} bytes (fewer than the signature) are how this type's signature starts. */
    public boolean begunBy(byte[] head, int length) {
        return length > 0 && length < magic.length && java.util.Arrays.equals(head, 0, length, magic, 0, length);
    }

    public static Optional<MediaType> detect(byte[] head, int length) {
        for (MediaType t : values()) {
            if (length >= t.magic.length && java.util.Arrays.equals(head, 0, t.magic.length, t.magic, 0, t.magic.length)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static MediaType of(String contentType) {
        for (MediaType t : values()) {
            if (t.contentType.equals(contentType)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown media content type " + contentType);
    }
}
