package kz.qatysu.cluster;

import kz.qatysu.tool.testing.Browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A browser as far as the LTI flow cares, over any HTTP client (TLS to nginx or plain to a node): cookies, no redirects. */
final class Visitor {
    private final HttpClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    final List<String> setCookies = new ArrayList<>();

    Visitor(HttpClient http) {
        this.http = http;
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> postForm(String url, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.encode(form))));
    }

    /** A multipart/form-data POST as a browser sends a form with a file ({@code file} under {@code fileField}). */
    HttpResponse<String> postMultipart(String url, Map<String, String> fields, String fileField, String fileName, byte[] file) {
        String boundary = "----qatysu" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** A GET whose body is kept as bytes (downloads). */
    HttpResponse<byte[]> bytes(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        return send(b, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        b.timeout(Duration.ofSeconds(30));
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<T> r = http.send(b.build(), handler);
            for (String c : r.headers().allValues("Set-Cookie")) {
                setCookies.add(c);
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || c.contains("Max-Age=0")) {
                    cookies.remove(pair.substring(0, eq).trim());
                } else {
                    cookies.put(pair.substring(0, eq).trim(), value);
                }
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Login initiation at {@code loginBase}; returns the platform auth request's parameters (state, nonce, redirect_uri …). */
    Map<String, String> login(String loginBase, String issuer, String clientId, String deploymentId, String targetLinkUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("iss", issuer);
        form.put("target_link_uri", targetLinkUri);
        form.put("login_hint", "5");
        form.put("lti_message_hint", "{\"cmid\":2}");
        form.put("client_id", clientId);
        form.put("lti_deployment_id", deploymentId);
        return Browser.queryOf(Browser.authRedirect(postForm(loginBase + "/lti/login", form)));
    }

    HttpResponse<String> launch(String launchBase, String idToken, String state) {
        return postForm(launchBase + "/lti/launch", Map.of("id_token", idToken, "state", state));
    }
}
