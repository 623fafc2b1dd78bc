package kz.qatysu.tool.proctoring.analysis;

/** A picture that is not a complete, decodable JPEG or PNG: the API answers 400 with the reason. */
public final class UnreadableImage extends RuntimeException {
    public UnreadableImage(String reason) {
        super(reason, null, false, false);
    }
}
