package kz.qatysu.tool.attendance;

import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text the database cannot store as sent (NUL, lone surrogates) and ids that would look like other ids (control and
 * bidirectional characters) are a 400 naming the field, for every text field of the API, and nothing is stored.
 */
class BadTextTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static RunningTool tool;
    static Api api;

    /** The bad characters as JSON escapes, so the request body itself is valid UTF-8. */
    static final String NUL = "\\u0000";
    static final String LONE_SURROGATE = "\\uD800";
    static final String BIDI_OVERRIDE = "\\u202E";

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        api = Api.admin(tool);
        api.ok(api.put("/api/v1/sections/TXT", Fixture.section("Text")));
        api.ok(api.put("/api/v1/sections/TXT/enrolments", Fixture.students("P-1", "P-2")));
        api.ok(api.put("/api/v1/sections/TXT/sessions", Fixture.sessions("TXT", 2)));
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    /** One row per text field of the API: method, path, the body with {@code %s} where the bad text goes, its path. */
    static Stream<Arguments> fields() {
        List<Arguments> rows = new ArrayList<>();
        List<Object[]> table = List.of(
                new Object[]{"section title", "PUT", "/api/v1/sections/TXT-NEW",
                        "{\"title\": \"Algebra%s\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}", "title"},
                new Object[]{"enrolment personId", "PUT", "/api/v1/sections/TXT/enrolments",
                        "[{\"personId\": \"P-1\", \"role\": \"student\"}, {\"personId\": \"P-3%s\", \"role\": \"student\"}]", "[1].personId"},
                new Object[]{"marks reason", "PUT", "/api/v1/sessions/TXT-1/marks",
                        "[{\"personId\": \"P-1\", \"status\": \"EXCUSED\", \"reason\": \"ill%s\"}]", "[0].reason"},
                new Object[]{"session kind", "PUT", "/api/v1/sections/TXT/sessions",
                        "[{\"sessionId\": \"TXT-1\", \"start\": \"2026-09-02T08:00:00+05:00\", \"end\": \"2026-09-02T08:50:00+05:00\", \"kind\": \"lecture%s\"}]", "[0].kind"},
                new Object[]{"session sessionId", "PUT", "/api/v1/sections/TXT/sessions",
                        "[{\"sessionId\": \"TXT-9%s\", \"start\": \"2026-09-02T08:00:00+05:00\", \"end\": \"2026-09-02T08:50:00+05:00\"}]", "[0].sessionId"},
                new Object[]{"override reason", "POST", "/api/v1/sections/TXT/overrides",
                        "{\"personId\": \"P-1\", \"state\": \"ADMITTED\", \"reason\": \"order 12%s\"}", "reason"},
                new Object[]{"override personId", "POST", "/api/v1/sections/TXT/overrides",
                        "{\"personId\": \"P-1%s\", \"state\": \"ADMITTED\", \"reason\": \"order 12\"}", "personId"},
                new Object[]{"token name", "POST", "/api/v1/admin/tokens",
                        "{\"name\": \"sync%s\", \"scopes\": [\"sync\"]}", "name"});
        for (Object[] row : table) {
            for (String bad : List.of(NUL, LONE_SURROGATE)) {
                rows.add(Arguments.of(row[0] + " with " + bad, row[1], row[2], String.format((String) row[3], bad), row[4]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void a_nul_or_a_lone_surrogate_in_any_text_field_is_a_400_naming_the_field_and_nothing_is_stored(
            String name, String method, String path, String body, String field) {
        Map<String, Long> before = ValidationTest.AttendanceCounts.of(tool);
        long tokens = count("api_token");
        Api.Response r = api.send(method, path, body);
        Map<String, String> details = ValidationTest.details(r);
        assertThat(details).as(r.body()).containsKey(field);
        assertThat(details.get(field)).containsAnyOf("NUL", "surrogate");
        assertThat(ValidationTest.AttendanceCounts.of(tool)).isEqualTo(before);
        assertThat(count("api_token")).isEqualTo(tokens);
    }

    static Stream<Arguments> ids() {
        return Stream.of(
                Arguments.of("PUT", "/api/v1/sections/TXT/enrolments",
                        "[{\"personId\": \"P-1" + BIDI_OVERRIDE + "\", \"role\": \"student\"}]", "[0].personId"),
                Arguments.of("PUT", "/api/v1/sessions/TXT-1/marks",
                        "[{\"personId\": \"P-1\\u0007\", \"status\": \"PRESENT\"}]", "[0].personId"),
                Arguments.of("PUT", "/api/v1/sections/TXT/sessions",
                        "[{\"sessionId\": \"TXT-1" + BIDI_OVERRIDE + "\", \"start\": \"2026-09-02T08:00:00+05:00\", \"end\": \"2026-09-02T08:50:00+05:00\"}]",
                        "[0].sessionId"),
                Arguments.of("POST", "/api/v1/sections/TXT/overrides",
                        "{\"personId\": \"\\u2066P-1\", \"state\": \"ADMITTED\", \"reason\": \"order 12\"}", "personId"),
                Arguments.of("POST", "/api/v1/sections/TXT/admission-overrides",
                        "{\"personId\": \"P-1" + BIDI_OVERRIDE + "\", \"state\": \"NOT_ADMITTED\", \"reason\": \"order 12\"}", "personId"),
                Arguments.of("PUT", "/api/v1/sections/TXT/scores",
                        "[{\"personId\": \"P-1\\u0007\", \"component\": \"RK1\", \"points\": 50}]", "[0].personId"),
                Arguments.of("PUT", "/api/v1/sections/TXT%E2%80%AE", Fixture.section("Bidi"), "sectionId"));
    }

    @ParameterizedTest(name = "{1} {3}")
    @MethodSource("ids")
    void ids_with_control_or_bidirectional_characters_are_refused(String method, String path, String body, String field) {
        Map<String, Long> before = ValidationTest.AttendanceCounts.of(tool);
        Map<String, String> details = ValidationTest.details(api.send(method, path, body));
        assertThat(details.get(field)).contains("control characters");
        assertThat(ValidationTest.AttendanceCounts.of(tool)).isEqualTo(before);
    }

    @Test
    void a_title_may_hold_any_valid_text_but_not_broken_utf8_bytes() {
        // Kazakh letters, an emoji (a surrogate pair), a right-to-left name and a tab are all fine in free text
        api.ok(api.put("/api/v1/sections/TXT-OK", "{\"title\": \"Алгебра 😀 \\u202Eعربي\\tI\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}"));
        String title = tool.database().jdbi().withHandle(h -> h.createQuery("SELECT title FROM section WHERE section_id = 'TXT-OK'")
                .mapTo(String.class).one());
        assertThat(title).isEqualTo("Алгебра 😀 \u202Eعربي\tI");

        // the same surrogate sent as raw (CESU-8) bytes and an invalid UTF-8 byte: refused, not stored as '?'
        for (byte[] bad : List.of(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xFF})) {
            Map<String, Long> before = ValidationTest.AttendanceCounts.of(tool);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"title\": \"Bad".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}".getBytes(StandardCharsets.UTF_8));
            for (String path : List.of("/api/v1/sections/TXT-RAW", "/api/v1/admin/tokens")) {
                HttpResponse<String> r = sendBytes(path.contains("tokens") ? "POST" : "PUT", path,
                        path.contains("tokens") ? tokenBody(bad) : body.toByteArray());
                assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(400);
            }
            assertThat(ValidationTest.AttendanceCounts.of(tool)).isEqualTo(before);
        }
        assertThat(count("api_token WHERE name LIKE 'sync%'")).isZero();
    }

    @Test
    void a_nul_in_any_url_encoded_form_field_is_a_400_page_naming_the_field() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/admin/signin"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept-Language", "ru")
                .POST(HttpRequest.BodyPublishers.ofString("token=abc%00def")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("Поле", "token", "NUL");
    }

    private static byte[] tokenBody(byte[] bad) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"name\": \"sync".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bad);
        body.writeBytes("\", \"scopes\": [\"sync\"]}".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static HttpResponse<String> sendBytes(String method, String path, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long count(String tableAndWhere) {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + tableAndWhere).mapTo(Long.class).one());
    }
}
