package kz.qatysu.tool.proctoring.media;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;

import static kz.qatysu.tool.proctoring.media.MediaFixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link MediaHttp} on a real Javalin (port 0) over real HTTP, serving a recording of three chunks as recorded. */
class MediaHttpTest {
    static final String REC = "5e6f7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b";

    @TempDir
    Path dir;
    MediaFixture f;
    Javalin app;
    HttpClient http = HttpClient.newHttpClient();
    byte[] recording = MediaFixture.concat(MediaFixture.webm(150_000), MediaCipherTest.random(100_000), MediaCipherTest.random(70_000));

    @BeforeEach
    void setUp() {
        f = new MediaFixture(dir);
        f.recordings.begin(REC, "p-1");
        int[] cuts = {0, 150_000, 250_000, recording.length};
        for (int i = 0; i < 3; i++) {
            byte[] chunk = Arrays.copyOfRange(recording, cuts[i], cuts[i + 1]);
            f.recordings.accept(REC, i, sha256(chunk), new ByteArrayInputStream(chunk));
        }
        byte[] photo = MediaFixture.jpeg(3000);
        String photoKey = f.media.store("p-1", MediaKind.SNAPSHOT, new ByteArrayInputStream(photo)).key();
        app = Javalin.create(c -> {
            c.routes.get("/recording", ctx -> MediaHttp.serve(ctx, f.media.playback().open(REC, "proctor:pr-1",
                    ProctoringMedia.Access.VIEW)));
            c.routes.get("/photo", ctx -> MediaHttp.serve(ctx, f.media.open(photoKey, "proctor:pr-1", ProctoringMedia.Access.VIEW)));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void tearDown() {
        app.stop();
        f.close();
    }

    HttpResponse<byte[]> get(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void without_a_range_the_whole_recording_comes_with_accept_ranges_and_no_store() throws Exception {
        HttpResponse<byte[]> r = get("/recording", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(recording);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("video/webm"));
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(recording.length));
    }

    @Test
    void a_range_across_chunks_and_encryption_segments_is_a_206_with_exactly_those_bytes() throws Exception {
        HttpResponse<byte[]> r = get("/recording", "bytes=149990-250009");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 149990-250009/" + recording.length);
        assertThat(r.headers().firstValue("Content-Length")).hasValue("100020");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(recording, 149_990, 250_010));

        HttpResponse<byte[]> tail = get("/recording", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(recording, recording.length - 10, recording.length));

        HttpResponse<byte[]> open = get("/recording", "bytes=300000-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(recording, 300_000, recording.length));
    }

    @Test
    void a_range_past_the_end_is_a_416_naming_the_size_and_several_ranges_get_the_whole_recording() throws Exception {
        HttpResponse<byte[]> r = get("/recording", "bytes=" + recording.length + "-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + recording.length);
        assertThat(new String(r.body())).startsWith("range: ");

        HttpResponse<byte[]> several = get("/recording", "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).hasSize(recording.length);
        // the first opening was audited; the further requests of the same viewer within the window were not
        assertThat(f.media.audit("p-1")).filteredOn(a -> a.objectKey().equals("recording:" + REC)).hasSize(1);
    }

    @Test
    void a_photo_is_served_whole_with_its_type_and_no_store() throws Exception {
        HttpResponse<byte[]> r = get("/photo", "bytes=0-10");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(3000);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/jpeg"));
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("none");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
