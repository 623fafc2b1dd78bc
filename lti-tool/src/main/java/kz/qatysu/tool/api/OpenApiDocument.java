package kz.qatysu.tool.api;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the hand-written OpenAPI 3 description of {@code /api/v1}
 * ({@code resources/openapi/qatysu-api-v1.json}, kept beside {@code shared/integration/qatysu-api.md}).
 * Public: it describes the API, it grants nothing.
 */
public final class OpenApiDocument {
    public static final String RESOURCE = "/openapi/qatysu-api-v1.json";

    private final byte[] document;

    public OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public void serve(Context ctx) {
        ctx.contentType("application/json; charset=utf-8").result(document);
    }
}
