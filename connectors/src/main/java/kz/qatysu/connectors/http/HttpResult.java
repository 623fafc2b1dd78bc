package kz.qatysu.connectors.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A complete response: status, headers (lower-case names, first value) and the whole body. */
public record HttpResult(int status, Map<String, String> headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The first {@code max} characters of the body, for error messages. */
    public String excerpt(int max) {
        String s = bodyText().replaceAll("\\s+", " ").strip();
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
