package kz.qatysu.tool.proctoring.examinee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A student's (or teacher's) browser inside a proctored exam, over real HTTP: the launch of the deep-linked exam, the
 * exam page's CSRF token, and the JSON, byte and multipart requests the examinee's scripts send.
 */
final class ExamineeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    final DeansFixture f;
    final Browser browser;
    /** {@code /app/<launch>} */
    final String base;
    final String examId;
    String csrf = "";

    ExamineeClient(DeansFixture f, Browser browser, String base, String examId) {
        this.f = f;
        this.browser = browser;
        this.base = base;
        this.examId = examId;
    }

    /** Launches the deep-linked proctored exam {@code examId} as {@code personId} (a student unless {@code teacher}). */
    static ExamineeClient launch(DeansFixture f, String personId, String sub, String examId, boolean teacher) {
        Browser browser = new Browser();
        var r = new LtiFlow(f.tool, f.platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = teacher ? LaunchClaims.moodleTeacher(f.platform, nonce, target)
                    : LaunchClaims.moodleStudent(f.platform, nonce, target);
            c.put("sub", sub);
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", DeansFixture.SECTION));
            c.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", "en", "document_target", "iframe"));
            c.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "proctored-exam", "qatysu_exam", examId));
            return c;
        });
        if (r.statusCode() != 303) {
            throw new AssertionError("launch failed: " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        return new ExamineeClient(f, browser, location.endsWith("/") ? location.substring(0, location.length() - 1) : location, examId);
    }

    String exam() {
        return base + "/exams/" + examId;
    }

    HttpResponse<String> get(String path) {
        return browser.get(f.tool.baseUrl() + path);
    }

    /** The exam page; remembers its CSRF token when it has a form. */
    String examPage() {
        HttpResponse<String> r = get(exam());
        if (r.statusCode() != 200) {
            throw new AssertionError("exam page: " + r.statusCode() + " " + r.body());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:name=\"_csrf\" value|data-csrf)=\"([^\"]+)\"").matcher(r.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        return r.body();
    }

    HttpResponse<String> form(String path, Map<String, String> form) {
        return browser.postForm(f.tool.baseUrl() + exam() + path, form);
    }

    HttpResponse<String> json(String method, String path, String body) {
        return send(request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    HttpResponse<String> bytes(String method, String path, byte[] body, String type, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type);
        headers.forEach(b::header);
        return send(b);
    }

    HttpResponse<String> identity(byte[] live, byte[] id) {
        String boundary = "----examinee" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "livePhoto", live);
        if (id != null) {
            part(body, boundary, "idPhoto", id);
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/attempt/identity").POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary));
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, byte[] bytes) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    String cookieHeader() {
        return browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + exam() + path)).header("X-CSRF-Token", csrf);
        if (!browser.cookies().isEmpty()) {
            b.header("Cookie", cookieHeader());
        }
        return b;
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new AssertionError("expected 200, got " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
