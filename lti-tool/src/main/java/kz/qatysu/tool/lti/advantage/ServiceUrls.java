package kz.qatysu.tool.lti.advantage;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URL handling the services need: path segments before the query, extra query parameters, Link paging. */
final class ServiceUrls {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile("(?i)\\brel\\s*=\\s*(\"[^\"]*\"|[^\\s;,]+)");

    private ServiceUrls() {
    }

    /**
     * {@code <lineitem>/scores} for a line item URL that may carry a query (Moodle's {@code ?type_id=1}): the
     * segment goes at the end of the path, the query stays after it (AGS 2.0 §3.4, "the scores endpoint is the
     * line item URL with /scores appended to the path").
     */
    static URI appendPath(URI url, String segment) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(url.getScheme()).append("://").append(url.getRawAuthority()).append(path).append(segment);
        if (url.getRawQuery() != null) {
            sb.append('?').append(url.getRawQuery());
        }
        return URI.create(sb.toString());
    }

    /** Adds {@code name=value} to the query (keeping what is there); a null or blank value adds nothing. */
    static URI withParam(URI url, String name, String value) {
        if (value == null || value.isBlank()) {
            return url;
        }
        String param = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        String s = url.toString();
        int hash = s.indexOf('#');
        String fragment = hash < 0 ? "" : s.substring(hash);
        String base = hash < 0 ? s : s.substring(0, hash);
        String sep = url.getRawQuery() == null ? "?" : (base.endsWith("?") || base.endsWith("&") ? "" : "&");
        return URI.create(base + sep + param + fragment);
    }

    /** The {@code rel="next"} target of the Link headers (RFC 8288), resolved against the page's URL. */
    static Optional<URI> next(HttpHeaders headers, URI pageUrl) {
        for (String header : headers.allValues("Link")) {
            Matcher m = LINK.matcher(header);
            while (m.find()) {
                Matcher rel = REL.matcher(m.group(2));
                if (rel.find()) {
                    String rels = rel.group(1).replace("\"", "");
                    for (String r : rels.trim().split("\\s+")) {
                        if (r.equalsIgnoreCase("next")) {
                            return Optional.of(pageUrl.resolve(m.group(1).trim()));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
