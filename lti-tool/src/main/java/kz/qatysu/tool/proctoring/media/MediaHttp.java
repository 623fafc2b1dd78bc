package kz.qatysu.tool.proctoring.media;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * Answers an HTTP request with proctoring media, for the routes that authorize the caller first:
 * {@code Content-Type} from the stored type, {@code Cache-Control: no-store} (nothing of an examinee stays in a
 * browser or proxy cache), {@code X-Content-Type-Options: nosniff}. A recording is served with byte ranges
 * ({@code Accept-Ranges: bytes}; {@code Range} → 206 with {@code Content-Range}, a range past the end → 416 with
 * {@code Content-Range: bytes *}{@code /size}), which is what lets a {@code <video>} element seek.
 * <pre>
 * app.get("/…/recordings/{id}/video", ctx -> {
 *     // authorize first, then:
 *     MediaHttp.serve(ctx, media.playback().open(ctx.pathParam("id"), actor, ProctoringMedia.Access.VIEW));
 * });
 * </pre>
 */
public final class MediaHttp {
    private MediaHttp() {
    }

    /** A recording, whole (200) or the requested byte range (206 / 416). */
    public static void serve(Context ctx, RecordingPlayback.Playback playback) {
        common(ctx, playback.type());
        ctx.header("Accept-Ranges", "bytes");
        Optional<ByteRange> range;
        try {
            range = ByteRange.requested(ctx.header("Range"), playback.size());
        } catch (MediaRefused e) {
            ctx.status(416).header("Content-Range", "bytes */" + playback.size()).contentType("text/plain; charset=utf-8")
                    .result(e.getMessage());
            return;
        }
        if (range.isPresent()) {
            ByteRange r = range.get();
            ctx.status(206).header("Content-Range", r.contentRange(playback.size()))
                    .header("Content-Length", Long.toString(r.length())).result(playback.read(r));
        } else {
            ctx.status(200).header("Content-Length", Long.toString(playback.size())).result(playback.read());
        }
    }

    /** A photo or other stored object, whole, without ranges. */
    public static void serve(Context ctx, ProctoringMedia.Opened opened) {
        common(ctx, opened.type());
        ctx.header("Accept-Ranges", "none");
        ctx.status(200).header("Content-Length", Long.toString(opened.size())).result(opened.content());
    }

    private static void common(Context ctx, MediaType type) {
        ctx.contentType(type.contentType());
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
    }
}
