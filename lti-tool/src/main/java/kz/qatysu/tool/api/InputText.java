package kz.qatysu.tool.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one rule for text arriving at the tool (JSON bodies, form fields, upload file names, path ids): what
 * PostgreSQL cannot store or what would be stored altered is refused, with the field's path, instead of failing
 * later as a 500 or being stored as {@code ?}.
 * <ul>
 *   <li>every text: no U+0000 and no lone UTF-16 surrogate (an escaped {@code \uD800} or a CESU-encoded one);</li>
 *   <li>ids ({@code sectionId}, {@code sessionId}, {@code personId}) also: no C0 / C1 control characters and no
 *       bidirectional controls (U+200E/F, U+061C, U+202A–U+202E, U+2066–U+2069), which would make one id look like
 *       another on a page or in a report.</li>
 * </ul>
 */
public final class InputText {
    private InputText() {
    }

    /** Why {@code text} cannot be stored, or null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain the NUL character (U+0000) at position " + i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return loneSurrogate(c, i);
            }
            if (Character.isLowSurrogate(c)) {
                return loneSurrogate(c, i);
            }
        }
        return null;
    }

    /** Why {@code id} is not acceptable as an id, or null when it is. */
    public static String idProblem(String id) {
        String p = problem(id);
        if (p != null) {
            return p;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("must not contain control characters (U+%04X at position %d)", (int) c, i);
            }
            if (isBidiControl(c)) {
                return String.format("must not contain bidirectional control characters (U+%04X at position %d)", (int) c, i);
            }
        }
        return null;
    }

    static boolean isBidiControl(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * Every string value and field name of a parsed JSON body that {@link #problem} refuses, with its path in the
     * API's notation ({@code [2].personId}, {@code scopes[0]}, {@code title}).
     */
    public static List<ApiException.Detail> problems(JsonNode body) {
        List<ApiException.Detail> out = new ArrayList<>();
        walk(body, "", out);
        return out;
    }

    /** Throws a 400 naming every field of {@code body} that holds text the tool cannot store. */
    public static void requireStorable(JsonNode body) {
        List<ApiException.Detail> problems = problems(body);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid text in the request: nothing was stored", problems);
        }
    }

    private static void walk(JsonNode node, String path, List<ApiException.Detail> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            String p = problem(node.textValue());
            if (p != null) {
                out.add(new ApiException.Detail(path, p));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", out);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String p = problem(field.getKey());
                if (p != null) {
                    out.add(new ApiException.Detail(path.isEmpty() ? "" : path, "a field name " + p));
                    continue;
                }
                walk(field.getValue(), child, out);
            }
        }
    }

    private static String loneSurrogate(char c, int i) {
        return String.format("must be valid Unicode: a lone surrogate U+%04X at position %d", (int) c, i);
    }
}
