package kz.qatysu.tool.proctoring.analysis;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.web.FormInput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/proctoring/analysis} (scope {@code admin}): what the server's face analysis sees in one picture,
 * and optionally whether its largest face is the same person as a reference picture's — for administrators
 * calibrating {@code proctoring.matchThreshold} on their own consented photos. Nothing is stored or logged.
 */
public final class AnalysisApi {
    private static final long FORM_OVERHEAD = 64 * 1024;

    private final FaceAnalysis analysis;
    private final ApiAuth auth;
    private final long maxBytes;

    /** {@code maxBytes}: the largest picture ({@code uploads.maxBytes}). */
    public AnalysisApi(FaceAnalysis analysis, ApiAuth auth, long maxBytes) {
        this.analysis = analysis;
        this.auth = auth;
        this.maxBytes = maxBytes;
    }

    public void analyse(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        if (ctx.contentLength() > 2 * maxBytes + FORM_OVERHEAD) {
            throw tooLarge();
        }
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest("multipart/form-data expected", List.of(
                    new ApiException.Detail("image", "a JPEG or PNG file in the form field 'image' is required")));
        }
        if (!FormInput.readMultipart(ctx)) {
            throw tooLarge();
        }
        byte[] image = file(ctx, "image").orElseThrow(() -> ApiException.badRequest("no picture to analyse",
                List.of(new ApiException.Detail("image", "a JPEG or PNG file in the form field 'image' is required"))));
        Optional<byte[]> reference = file(ctx, "reference");
        Faces faces = analyse("image", image);
        Optional<Faces> referenceFaces = reference.map(r -> analyse("reference", r));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("faces", faces.faces().stream().map(AnalysisApi::face).toList());
        body.put("match", referenceFaces.flatMap(r -> analysis.compareLargest(faces, r)).map(m -> {
            Map<String, Object> match = new LinkedHashMap<>();
            match.put("distance", round(m.distance()));
            match.put("same", m.same());
            match.put("threshold", m.threshold());
            return match;
        }).orElse(null));
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    private Faces analyse(String field, byte[] picture) {
        try {
            return analysis.analyse(picture);
        } catch (UnreadableImage e) {
            throw ApiException.badRequest("the picture cannot be analysed: nothing was stored",
                    List.of(new ApiException.Detail(field, e.getMessage())));
        } catch (FaceAnalysis.Busy e) {
            throw new ApiException(503, e.getMessage() + "; try again in a few seconds");
        }
    }

    private Optional<byte[]> file(Context ctx, String field) {
        UploadedFile file = ctx.uploadedFile(field);
        if (file == null) {
            return Optional.empty();
        }
        if (file.size() > maxBytes) {
            throw tooLarge();
        }
        try (InputStream in = file.content()) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "each picture may have at most " + maxBytes + " bytes (uploads.maxBytes)");
    }

    private static Map<String, Object> face(Face f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", f.box().x());
        m.put("y", f.box().y());
        m.put("width", f.box().width());
        m.put("height", f.box().height());
        m.put("score", round(f.score()));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
