package kz.qatysu.tool.attendance.input;

import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputText;

import java.util.List;

/** The ids in attendance paths ({@code {sectionId}}, {@code {sessionId}}, {@code {personId}}), checked once. */
public final class PathIds {
    private static final int MAX_LENGTH = 200;

    private PathIds() {
    }

    public static String sectionId(Context ctx) {
        return id(ctx, "sectionId");
    }

    public static String sessionId(Context ctx) {
        return id(ctx, "sessionId");
    }

    public static String personId(Context ctx) {
        return id(ctx, "personId");
    }

    private static String id(Context ctx, String name) {
        String value = ctx.pathParam(name).strip();
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw ApiException.badRequest("invalid " + name, List.of(new ApiException.Detail(name,
                    "must be 1 to " + MAX_LENGTH + " characters")));
        }
        String problem = InputText.idProblem(value);
        if (problem != null) {
            throw ApiException.badRequest("invalid " + name, List.of(new ApiException.Detail(name, problem)));
        }
        return value;
    }
}
