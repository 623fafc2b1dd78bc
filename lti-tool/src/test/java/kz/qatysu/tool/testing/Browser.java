package kz.qatysu.tool.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser as far as the LTI flow cares: real HTTP, no redirects followed automatically, and a cookie jar that
 * keeps Secure cookies on loopback http the way Chromium does for localhost.
 */
public final class Browser {
    private static final Pattern CONTINUE = Pattern.compile("id=\"continue\" href=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String acceptLanguage;

    /** Sends this Accept-Language with every request from now on, as a browser set to that language does. */
    public Browser acceptLanguage(String value) {
        this.acceptLanguage = value;
        return this;
    }

    public HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    public HttpResponse<String> postForm(String url, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
    }

    /** A form body given as is (for repeated fields). */
    public HttpResponse<String> postRaw(String url, String urlEncodedBody) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(urlEncodedBody)));
    }

    /** A JSON body as a page's script posts it, with the headers given (e.g. its CSRF token). */
    public HttpResponse<String> postJson(String url, String json, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return send(b);
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    public void forgetCookies() {
        cookies.clear();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").forEach(this::remember);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (value.isEmpty() || setCookie.contains("Max-Age=0")) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    /** The platform auth URL a login response sends the browser to: a 302 Location or the cookie-check page's link. */
    public static String authRedirect(HttpResponse<String> loginResponse) {
        if (loginResponse.statusCode() == 302) {
            return loginResponse.headers().firstValue("Location").orElseThrow();
        }
        Matcher m = CONTINUE.matcher(loginResponse.body());
        if (loginResponse.statusCode() == 200 && m.find()) {
            return m.group(1).replace("&amp;", "&");
        }
        throw new AssertionError("login did not redirect to the platform: " + loginResponse.statusCode() + " " + loginResponse.body());
    }

    public static Map<String, String> queryOf(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
