package kz.qatysu.tool.proctoring.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static kz.qatysu.tool.proctoring.analysis.Photos.ASTRONAUT;
import static kz.qatysu.tool.proctoring.analysis.Photos.GRACE_HOPPER;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/v1/proctoring/analysis} on the real tool, with real photographs. */
class AnalysisApiTest {
    static final int MAX_BYTES = 200_000;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static RunningTool tool;

    @BeforeAll
    static void start() {
        tool = RunningTool.start(Map.of("QATYSU_UPLOADS_MAX_BYTES", String.valueOf(MAX_BYTES)), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    @Test
    void reports_the_faces_of_one_picture_in_its_pixels_and_no_match_without_a_reference() throws Exception {
        HttpResponse<String> r = post(Map.of("image", Photos.bytes(GRACE_HOPPER)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("faces")).hasSize(1);
        JsonNode face = body.path("faces").get(0);
        // Grace Hopper's face in the 512×600 photograph
        assertThat(face.path("x").asInt()).isBetween(150, 230);
        assertThat(face.path("y").asInt()).isBetween(90, 160);
        assertThat(face.path("width").asInt()).isBetween(140, 220);
        assertThat(face.path("height").asInt()).isBetween(170, 260);
        assertThat(face.path("score").asDouble()).isBetween(0.8, 1.0);
        assertThat(body.has("match")).isTrue();
        assertThat(body.path("match").isNull()).isTrue();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");

        JsonNode two = JSON.readTree(post(Map.of("image", Photos.sideBySide(ASTRONAUT, GRACE_HOPPER))).body());
        assertThat(two.path("faces")).hasSize(2);
        JsonNode none = JSON.readTree(post(Map.of("image", Photos.bytes(Photos.COFFEE))).body());
        assertThat(none.path("faces")).isEmpty();
    }

    @Test
    void compares_the_largest_faces_of_the_image_and_the_reference() throws Exception {
        JsonNode same = JSON.readTree(post(Map.of("image", Photos.bytes(ASTRONAUT), "reference", Photos.mirrored(ASTRONAUT))).body());
        assertThat(same.path("match").path("same").asBoolean()).isTrue();
        assertThat(same.path("match").path("distance").asDouble()).isBetween(0.0, 0.45);
        assertThat(same.path("match").path("threshold").asDouble()).isEqualTo(0.6);

        JsonNode different = JSON.readTree(post(Map.of("image", Photos.bytes(ASTRONAUT), "reference", Photos.bytes(GRACE_HOPPER))).body());
        assertThat(different.path("match").path("same").asBoolean()).isFalse();
        assertThat(different.path("match").path("distance").asDouble()).isGreaterThanOrEqualTo(0.6);

        JsonNode noFace = JSON.readTree(post(Map.of("image", Photos.bytes(ASTRONAUT), "reference", Photos.bytes(Photos.CAT))).body());
        assertThat(noFace.path("faces")).hasSize(1);
        assertThat(noFace.path("match").isNull()).isTrue();
    }

    @Test
    void a_file_that_is_not_a_complete_jpeg_or_png_is_a_400_naming_the_field() throws Exception {
        byte[] jpeg = Photos.bytes(ASTRONAUT);
        for (byte[] bad : new byte[][]{"plain text, named photo.png".getBytes(StandardCharsets.UTF_8), new byte[0],
                Arrays.copyOf(jpeg, jpeg.length / 2)}) {
            HttpResponse<String> r = post(Map.of("image", bad));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("error").asText()).contains("nothing was stored");
            assertThat(body.path("details").get(0).path("path").asText()).isEqualTo("image");
        }
        HttpResponse<String> badReference = post(Map.of("image", jpeg, "reference", "GIF89a...".getBytes(StandardCharsets.UTF_8)));
        assertThat(badReference.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badReference.body()).path("details").get(0).path("path").asText()).isEqualTo("reference");
        assertThat(JSON.readTree(badReference.body()).path("details").get(0).path("problem").asText()).contains("not a JPEG or PNG");

        HttpResponse<String> noImage = post(Map.of("reference", jpeg));
        assertThat(noImage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noImage.body()).path("details").get(0).path("path").asText()).isEqualTo("image");
    }

    @Test
    void a_picture_over_the_upload_limit_is_a_413() throws Exception {
        byte[] large = Photos.scaled(GRACE_HOPPER, 3.0);
        assertThat(large.length).isGreaterThan(MAX_BYTES);
        HttpResponse<String> r = post(Map.of("image", large));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("uploads.maxBytes");
    }

    static HttpResponse<String> post(Map<String, byte[]> files) throws Exception {
        String boundary = "----faces" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : new LinkedHashMap<>(files).entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                    + "\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(f.getValue());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/proctoring/analysis"))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
