package kz.qatysu.demo.platform;

import java.util.Map;

/** HTML building for the demo platform's pages: every dynamic value goes through {@link #esc(String)}. */
final class Html {
    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A complete page with the demo platform's small stylesheet. */
    static String page(String lang, String title, String body) {
        return """
                <!doctype html>
                <html lang="%s"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2125}
                header{background:#0f47ad;color:#fff;padding:.6rem 1rem}
                header a{color:#fff}
                main{padding:1rem;max-width:72rem;margin:auto}
                section{background:#fff;border:1px solid #dee2e6;border-radius:.4rem;padding:1rem;margin-bottom:1rem;overflow-x:auto}
                table{border-collapse:collapse;width:100%%}td,th{padding:.3rem .5rem;border-bottom:1px solid #eee;text-align:left}
                button,.button{background:#0f6cbf;color:#fff;border:0;border-radius:.3rem;padding:.35rem .7rem;cursor:pointer;text-decoration:none;display:inline-block;font-size:.95rem}
                button.secondary,.button.secondary{background:#6a737b}
                form.inline{display:inline}
                iframe#contentframe{width:100%%;height:75vh;border:1px solid #dee2e6;background:#fff}
                .muted{color:#6a737b;font-size:.9rem}
                pre{white-space:pre-wrap;word-break:break-all;background:#f8f9fa;padding:.5rem}
                </style></head>
                <body>%s</body></html>
                """.formatted(esc(lang), esc(title), body);
    }

    /**
     * The auto-submitting form Moodle uses for both hops of a launch (login initiation to the tool, and the
     * authentication response back to the tool's redirect URI). Without JavaScript the user presses the button.
     */
    static String autoPostForm(String action, Map<String, String> fields, String formName) {
        StringBuilder inputs = new StringBuilder();
        fields.forEach((name, value) -> {
            if (value != null) {
                inputs.append("<input type=\"hidden\" name=\"").append(esc(name)).append("\" value=\"")
                        .append(esc(value)).append("\"/>\n");
            }
        });
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Redirecting…</title></head>
                <body>
                <form action="%s" name="%s" id="%s" method="post" encType="application/x-www-form-urlencoded">
                %s<noscript><button type="submit">Continue</button></noscript>
                </form>
                <script>document.getElementById(%s).submit();</script>
                </body></html>
                """.formatted(esc(action), esc(formName), esc(formName), inputs, jsString(formName));
    }

    /** A JavaScript string literal, safe inside a script element. */
    static String jsString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
