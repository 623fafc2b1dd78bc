package kz.qatysu.sync.admin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Escaping for the admin pages: every value from the database, the source or the request goes through here. Pure. */
public final class Html {
    private Html() {
    }

    /** Text or a double-quoted attribute value: {@code & < > " '} become entities; null is empty. */
    public static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** One path segment or query value, percent-encoded (and then safe inside an attribute). */
    public static String url(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
