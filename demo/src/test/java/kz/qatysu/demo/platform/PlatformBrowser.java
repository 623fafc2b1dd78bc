package kz.qatysu.demo.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a screen for the platform tests: real HTTP, its own cookies, and the HTML forms the platform
 * auto-submits read back into fields — so a test walks the same hops a browser walks.
 */
final class PlatformBrowser {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"/>");
    private static final Pattern ACTION = Pattern.compile("<form action=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> postForm(String url, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    /** Logs in on the demo page as {@code userId} and starts a launch; returns the login-initiation fields. */
    Map<String, String> startMoodleLaunch(DemoPlatform platform, String userId, String query) {
        HttpResponse<String> view = get(platform.issuer() + "/demo/view?user=" + userId + "&" + query);
        if (view.statusCode() != 200) {
            throw new IllegalStateException("view answered " + view.statusCode());
        }
        HttpResponse<String> launch = get(platform.issuer() + "/demo/launch?" + query + "&target=iframe");
        if (launch.statusCode() != 200) {
            throw new IllegalStateException("launch answered " + launch.statusCode());
        }
        return hiddenFields(launch.body());
    }

    /** The authentication request a tool sends for these login-initiation fields. */
    static Map<String, String> authRequest(Map<String, String> login, String redirectUri, String state, String nonce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("scope", "openid");
        p.put("response_type", "id_token");
        p.put("response_mode", "form_post");
        p.put("prompt", "none");
        p.put("client_id", login.get("client_id"));
        p.put("redirect_uri", redirectUri);
        p.put("login_hint", login.get("login_hint"));
        p.put("state", state);
        p.put("nonce", nonce);
        p.put("lti_message_hint", login.get("lti_message_hint"));
        return p;
    }

    HttpResponse<String> authorize(DemoPlatform platform, Map<String, String> params) {
        return get(platform.authLoginUrl() + "?" + form(params));
    }

    static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return fields;
    }

    static String formAction(String html) {
        Matcher m = ACTION.matcher(html);
        return m.find() ? unescape(m.group(1)) : null;
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            List<String> set = r.headers().allValues("Set-Cookie");
            for (String c : set) {
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
