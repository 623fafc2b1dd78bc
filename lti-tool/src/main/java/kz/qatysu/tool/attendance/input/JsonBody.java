package kz.qatysu.tool.attendance.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.InputText;

import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads an attendance request body field by field, so that a wrong type or value is reported with its path
 * ({@code [2].lateMinutes}) next to every other problem of the request, instead of as one parse error.
 * The body is decoded from its bytes, so UTF-8 Kazakh text arrives intact whatever charset header came with it.
 */
public final class JsonBody {
    /** More records than this in one upload is refused: a section's timetable or roster is far smaller. */
    public static final int MAX_RECORDS = 20_000;
    public static final int MAX_TEXT = 1_000;
    /** Dates outside these years are typos (year 0001, 20266), refused in every attendance record. */
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2100;

    private final InputProblems problems;

    public JsonBody(InputProblems problems) {
        this.problems = problems;
    }

    public static JsonNode read(Context ctx, ObjectMapper json) {
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not JSON",
                    List.of(new ApiException.Detail("", "not valid JSON: " + e.getClass().getSimpleName())));
        }
        if (body == null || body.isMissingNode()) {
            throw ApiException.badRequest("request body is empty", List.of(new ApiException.Detail("", "a JSON body is required")));
        }
        InputText.requireStorable(body);
        return body;
    }

    /** The body as an array of records (the full-list uploads). */
    public static JsonNode array(Context ctx, ObjectMapper json, String what) {
        JsonNode body = read(ctx, json);
        if (!body.isArray()) {
            throw ApiException.badRequest("request body must be a JSON array of " + what,
                    List.of(new ApiException.Detail("", "must be an array")));
        }
        if (body.size() > MAX_RECORDS) {
            throw ApiException.badRequest("too many " + what,
                    List.of(new ApiException.Detail("", "at most " + MAX_RECORDS + " records, got " + body.size())));
        }
        return body;
    }

    public static JsonNode object(Context ctx, ObjectMapper json) {
        JsonNode body = read(ctx, json);
        if (!body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object", List.of(new ApiException.Detail("", "must be an object")));
        }
        return body;
    }

    /** True when {@code record} is an object; otherwise reports it and the caller skips it. */
    public boolean isRecord(JsonNode record, String path) {
        if (record == null || !record.isObject()) {
            problems.add(path, "must be an object");
            return false;
        }
        return true;
    }

    public String requiredText(JsonNode node, String path, String field) {
        String value = optionalText(node, path, field);
        if (value == null && !has(node, field)) {
            problems.add(join(path, field), "required");
        } else if (value != null && value.isBlank()) {
            problems.add(join(path, field), "must not be blank");
            return null;
        }
        return value;
    }

    /** A required id ({@code personId}, {@code sessionId}): text without control or bidirectional characters. */
    public String requiredId(JsonNode node, String path, String field) {
        String value = requiredText(node, path, field);
        String problem = value == null ? null : InputText.idProblem(value);
        if (problem != null) {
            problems.add(join(path, field), problem);
            return null;
        }
        return value;
    }

    public String optionalText(JsonNode node, String path, String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            problems.add(join(path, field), "must be a string");
            return null;
        }
        String value = n.asText().strip();
        if (value.length() > MAX_TEXT) {
            problems.add(join(path, field), "at most " + MAX_TEXT + " characters");
            return null;
        }
        return value;
    }

    public LocalDate date(JsonNode node, String path, String field, boolean required) {
        String text = optionalText(node, path, field);
        if (text == null) {
            if (required && !has(node, field)) {
                problems.add(join(path, field), "required");
            }
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(join(path, field), "must be a date like 2026-09-01, was '" + text + "'");
            return null;
        }
        return plausibleYear(date.getYear(), path, field, text) ? date : null;
    }

    public OffsetDateTime dateTime(JsonNode node, String path, String field) {
        String text = optionalText(node, path, field);
        if (text == null) {
            if (!has(node, field)) {
                problems.add(join(path, field), "required");
            }
            return null;
        }
        OffsetDateTime dateTime;
        try {
            dateTime = OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(join(path, field), "must be a date-time with an offset like 2026-09-02T08:00:00+05:00, was '" + text + "'");
            return null;
        }
        return plausibleYear(dateTime.getYear(), path, field, text) ? dateTime : null;
    }

    private boolean plausibleYear(int year, String path, String field, String text) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            problems.add(join(path, field), "must be in the years " + FIRST_YEAR + " to " + LAST_YEAR + ", was '" + text + "'");
            return false;
        }
        return true;
    }

    /** A whole number, or {@code fallback} when absent or null. */
    public Integer integer(JsonNode node, String path, String field, Integer fallback) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            problems.add(join(path, field), "must be a whole number");
            return null;
        }
        return n.intValue();
    }

    public void problem(String path, String problem) {
        problems.add(path, problem);
    }

    public static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static boolean has(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n != null && !n.isNull();
    }
}
