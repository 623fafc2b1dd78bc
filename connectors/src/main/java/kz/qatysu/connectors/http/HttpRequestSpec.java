package kz.qatysu.connectors.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request to a target. {@code idempotent} decides what may be retried: an idempotent request is retried after
 * any timeout, reset or 5xx; a non-idempotent one (e.g. Moodle's {@code core_user_create_users}) only when it
 * certainly did not reach the server (connect failure) or the server refused it unprocessed (429, 503).
 */
public record HttpRequestSpec(String method, String path, Map<String, String> headers, byte[] body, String contentType,
                              boolean idempotent, String description) {

    public HttpRequestSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        description = description == null ? method + " " + path : description;
    }

    public static HttpRequestSpec get(String path) {
        return new HttpRequestSpec("GET", path, Map.of(), null, null, true, null);
    }

    public static HttpRequestSpec json(String method, String path, String json) {
        return new HttpRequestSpec(method, path, Map.of("Accept", "application/json"),
                json.getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8", !method.equals("POST"), null);
    }

    public static HttpRequestSpec form(String path, String urlEncodedBody, boolean idempotent) {
        return new HttpRequestSpec("POST", path, Map.of(), urlEncodedBody.getBytes(StandardCharsets.US_ASCII),
                "application/x-www-form-urlencoded", idempotent, null);
    }

    public HttpRequestSpec withHeader(String name, String value) {
        var h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequestSpec(method, path, h, body, contentType, idempotent, description);
    }

    public HttpRequestSpec idempotent(boolean value) {
        return new HttpRequestSpec(method, path, headers, body, contentType, value, description);
    }

    /** What logs and errors call this request (never containing secrets: set it when the path carries one). */
    public HttpRequestSpec describedAs(String text) {
        return new HttpRequestSpec(method, path, headers, body, contentType, idempotent, text);
    }
}
