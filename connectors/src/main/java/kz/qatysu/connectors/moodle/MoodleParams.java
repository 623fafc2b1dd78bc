package kz.qatysu.connectors.moodle;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Moodle's REST parameters: {@code application/x-www-form-urlencoded} with nested arrays in PHP bracket syntax,
 * {@code users[0][username]=s1&users[0][customfields][0][type]=iin}. Booleans go as {@code 1}/{@code 0}.
 */
public final class MoodleParams {
    private MoodleParams() {
    }

    /** Flattens {@code params} (values: scalars, {@link Map}s, {@link List}s) into name/value pairs in order. */
    public static List<Map.Entry<String, String>> flatten(Map<String, ?> params) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        params.forEach((k, v) -> add(out, k, v));
        return out;
    }

    public static String encode(List<Map.Entry<String, String>> pairs) {
        StringBuilder sb = new StringBuilder();
        for (var e : pairs) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** How many PHP input variables {@code params} become — what {@code max_input_vars} counts. */
    public static int countVars(Map<String, ?> params) {
        return flatten(params).size();
    }

    private static void add(List<Map.Entry<String, String>> out, String name, Object value) {
        switch (value) {
            case null -> {
                // absent optional parameter: Moodle applies its default
            }
            case Map<?, ?> map -> map.forEach((k, v) -> add(out, name + "[" + k + "]", v));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    add(out, name + "[" + i + "]", list.get(i));
                }
            }
            case Boolean b -> out.add(Map.entry(name, b ? "1" : "0"));
            default -> out.add(Map.entry(name, String.valueOf(value)));
        }
    }
}
