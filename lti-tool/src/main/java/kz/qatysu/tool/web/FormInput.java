package kz.qatysu.tool.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import kz.qatysu.tool.api.InputText;

import java.util.List;
import java.util.Map;

/**
 * Form fields and upload file names under the one text rule ({@link InputText}): a field holding a NUL or a lone
 * surrogate is refused with {@link Refused} (400 naming the field) before any handler stores it. URL-encoded forms
 * are checked by a filter for every request; multipart forms by the upload handlers once they parsed the body (a
 * filter would read the upload before its handler checked the session and its upload slot).
 */
public final class FormInput {
    private FormInput() {
    }

    /** The filter: every url-encoded form. */
    public static void checkUrlEncoded(Context ctx) {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            requireStorable(ctx);
        }
    }

    /** Every field name, value and upload file name of the request's form; throws {@link Refused} for the first bad one. */
    public static void requireStorable(Context ctx) {
        for (Map.Entry<String, List<String>> field : ctx.formParamMap().entrySet()) {
            check(field.getKey(), field.getKey());
            for (String value : field.getValue()) {
                check(field.getKey(), value);
            }
        }
        if (ctx.isMultipartFormData()) {
            for (Map.Entry<String, List<UploadedFile>> files : ctx.uploadedFileMap().entrySet()) {
                for (UploadedFile file : files.getValue()) {
                    if (file.filename() != null) {
                        check(files.getKey() + ".filename", file.filename());
                    }
                }
            }
        }
    }

    /**
     * Parses a multipart form (fields and files): true when it was read, false when it is over the size limits.
     * A body that stopped arriving (the client was cut off as too slow) is a 408; one that is not multipart a 400.
     */
    public static boolean readMultipart(Context ctx) {
        try {
            ctx.formParamMap();
            ctx.uploadedFileMap();
            return true;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.util.concurrent.TimeoutException || t instanceof org.eclipse.jetty.io.EofException) {
                    throw new HttpResponseException(408, "the request body stopped arriving");
                }
                if (t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().contains("exceeded")) {
                    return false;
                }
            }
            throw new BadRequestResponse("the multipart form could not be read");
        }
    }

    private static void check(String field, String text) {
        String problem = InputText.problem(text);
        if (problem != null) {
            throw new Refused(InputText.problem(field) == null ? field : "?", problem);
        }
    }

    /** A form field the tool cannot store; mapped to 400 by {@link HttpErrors}. */
    public static final class Refused extends RuntimeException {
        private final String field;

        Refused(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
