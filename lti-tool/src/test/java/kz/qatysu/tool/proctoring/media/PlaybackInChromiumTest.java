package kz.qatysu.tool.proctoring.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import kz.qatysu.tool.proctoring.analysis.AnalysisSettings;
import kz.qatysu.tool.proctoring.analysis.FaceAnalysis;
import kz.qatysu.tool.proctoring.browser.FakeCameraVideos;
import kz.qatysu.tool.proctoring.browser.ProctoringChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Real MediaRecorder output end to end: headless Chromium records 8 s of the fake camera (a face video) with
 * {@code MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8'})} and {@code start(1000)}, uploads each chunk
 * with its SHA-256 into {@link RecordingUploads}, and the server remuxes it for playback.
 * <p>What it proves: the chunks as recorded have no Cues and Chromium reports their duration (and the end of what
 * is seekable) as Infinity, so a player shows no timeline; the remuxed copy has Cues and a duration ffprobe reads as the recorded length, and a
 * {@code <video>} of it served through {@link MediaHttp} seeks to 4 s; the recording shows the face the camera
 * showed. What it does not: long recordings (hours), audio (the recorder here is video-only, as the mimeType says),
 * other browsers' recorders.
 */
class PlaybackInChromiumTest {
    static final String REC = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORD = """
            const stream = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}, audio: false});
            const recorder = new MediaRecorder(stream, {mimeType: 'video/webm;codecs=vp8'});
            let index = 0;
            const uploads = [];
            recorder.ondataavailable = e => {
              if (e.data.size === 0) return;
              const i = index++;
              uploads.push(e.data.arrayBuffer().then(async bytes => {
                const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
                    .map(b => b.toString(16).padStart(2, '0')).join('');
                const r = await fetch('/chunks/' + i, {method: 'POST', headers: {'X-Sha256': hash}, body: bytes});
                if (!r.ok) throw new Error('chunk ' + i + ': ' + r.status + ' ' + await r.text());
              }));
            };
            const stopped = new Promise(r => recorder.onstop = r);
            const started = performance.now();
            recorder.start(1000);
            await new Promise(r => setTimeout(r, 8000));
            recorder.stop();
            await stopped;
            const ms = performance.now() - started;
            await Promise.all(uploads);
            stream.getTracks().forEach(t => t.stop());
            return JSON.stringify({chunks: index, ms});""";
    static final String PROBE = """
            const probe = async (src, seekTo) => {
              const v = document.createElement('video');
              v.muted = true;
              v.preload = 'auto';
              document.body.append(v);
              const meta = new Promise((ok, no) => {
                v.onloadedmetadata = ok;
                v.onerror = () => no(new Error(src + ': ' + (v.error && v.error.message)));
              });
              v.src = src;
              await meta;
              const out = {duration: String(v.duration), seekable: v.seekable.length,
                           seekableEnd: v.seekable.length ? String(v.seekable.end(v.seekable.length - 1)) : 'none'};
              v.currentTime = seekTo;
              out.seeked = await Promise.race([new Promise(ok => v.onseeked = () => ok(true)),
                                               new Promise(ok => setTimeout(() => ok(false), 5000))]);
              out.currentTime = v.currentTime;
              return out;
            };
            return JSON.stringify({playable: await probe('/playback', 4), raw: await probe('/raw', 4)});""";

    @TempDir
    Path dir;
    MediaFixture f;
    Javalin app;

    @BeforeEach
    void setUp() {
        ProctoringChromium.assumeInstalled();
        f = new MediaFixture(dir);
        MediaSettings big = new MediaSettings(f.settings.dir(), java.util.Optional.empty(), 4096, 8 * 1024 * 1024,
                Duration.ofDays(365), dir);
        ProctoringMedia media = new ProctoringMedia(f.db.jdbi(), f.store,
                new MediaCipher(List.of(MediaCipherTest.filled(32, 3)), "a test key"), big, f.clock);
        RecordingUploads uploads = new RecordingUploads(media);
        uploads.begin(REC, "p-1");
        app = Javalin.create(c -> {
            c.routes.get("/", ctx -> ctx.html("<!doctype html><html lang=en><title>record</title><body></body></html>"));
            c.routes.post("/chunks/{i}", ctx -> {
                try (InputStream body = ctx.bodyInputStream()) {
                    uploads.accept(REC, Integer.parseInt(ctx.pathParam("i")), ctx.header("X-Sha256"), body);
                }
                ctx.status(204);
            });
            c.routes.get("/playback", ctx -> MediaHttp.serve(ctx, media.playback().open(REC, "proctor:pr-1",
                    ProctoringMedia.Access.VIEW)));
            c.routes.get("/raw", ctx -> MediaHttp.serve(ctx, media.playback().openAsRecorded(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW)));
            c.routes.exception(MediaRefused.class, (e, ctx) -> ctx.status(e.status()).result(e.getMessage()));
        }).start("127.0.0.1", 0);
        this.media = media;
        this.uploads = uploads;
    }

    ProctoringMedia media;
    RecordingUploads uploads;

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.stop();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void a_recording_made_by_media_recorder_is_seekable_after_the_remux_and_not_before() throws Exception {
        JsonNode recorded;
        JsonNode played;
        try (ProctoringChromium browser = ProctoringChromium.headless(FakeCameraVideos.oneFace())) {
            browser.driver().get("http://127.0.0.1:" + app.port() + "/");
            Object r = browser.async(RECORD, Duration.ofSeconds(60));
            assertThat(r).asString().doesNotStartWith("ERR");
            recorded = JSON.readTree((String) r);
            int chunks = recorded.get("chunks").asInt();
            assertThat(chunks).as("one chunk a second").isBetween(6, 11);
            assertThat(uploads.finish(REC, chunks - 1).present()).hasSize(chunks);

            Object p = browser.async(PROBE, Duration.ofSeconds(90));
            assertThat(p).asString().doesNotStartWith("ERR");
            played = JSON.readTree((String) p);
        }
        double wallClock = recorded.get("ms").asDouble() / 1000;

        // as recorded: no Cues and no duration; Chromium reports the duration and the seekable end as Infinity, so a
        // player has no timeline to seek on (Chromium 156 does move to currentTime = 4 when told, searching the
        // clusters through byte ranges, which is why the raw file is served with ranges too)
        byte[] raw;
        try (ProctoringMedia.Opened o = media.openRecording(REC, "proctor:pr-1", ProctoringMedia.Access.DOWNLOAD)) {
            raw = o.content().readAllBytes();
        }
        assertThat(WebmStructure.of(raw).hasCues()).isFalse();
        assertThat(WebmStructure.of(raw).hasDuration()).isFalse();
        assertThat(played.get("raw").get("duration").asText()).isEqualTo("Infinity");
        assertThat(played.get("raw").get("seekableEnd").asText()).isEqualTo("Infinity");

        // remuxed: Cues, a duration of the recorded length, and Chromium seeks to 4 s
        RecordingPlayback.Playback playback = media.playback().open(REC, "proctor:pr-1", ProctoringMedia.Access.VIEW);
        assertThat(playback.seekable()).isTrue();
        Path playable;
        try (InputStream in = playback.read()) {
            playable = Files.write(dir.resolve("playable.webm"), in.readAllBytes());
        }
        // kept for a look after the run (target/ is not committed)
        Path kept = Files.createDirectories(Path.of("target", "playback-in-chromium"));
        Files.copy(playable, kept.resolve("playable.webm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(kept.resolve("as-recorded.webm"), raw);
        WebmStructure structure = WebmStructure.of(Files.readAllBytes(playable));
        assertThat(structure.hasCues()).as("Cues in %s", structure.topLevel()).isTrue();
        assertThat(structure.hasDuration()).isTrue();
        // the recorded length is the time of the last frame (on a loaded machine the fake camera delivers frames
        // late and the recorder drops some, so it can be shorter than the 8 s the recorder ran)
        double lastFrame = lastFrameTime(kept.resolve("as-recorded.webm"));
        assertThat(lastFrame).isGreaterThan(4.5).isLessThanOrEqualTo(wallClock + 0.5);
        double seconds = LiveWebm.ffprobeDuration(playable);
        assertThat(seconds).isCloseTo(lastFrame, within(0.5));
        JsonNode seekable = played.get("playable");
        assertThat(Double.parseDouble(seekable.get("duration").asText())).isCloseTo(seconds, within(0.1));
        assertThat(seekable.get("seekable").asInt()).isEqualTo(1);
        assertThat(Double.parseDouble(seekable.get("seekableEnd").asText())).isCloseTo(seconds, within(0.1));
        assertThat(seekable.get("seeked").asBoolean()).isTrue();
        assertThat(seekable.get("currentTime").asDouble()).isCloseTo(4.0, within(0.1));

        // what was recorded is the camera's picture: one face, as the server's analysis sees a frame at 3 s
        try (FaceAnalysis analysis = new FaceAnalysis(AnalysisSettings.defaults())) {
            assertThat(analysis.detect(frameAt(playable, 3.0)).count()).isEqualTo(1);
        }
    }

    /** The largest frame time ffprobe reads from the packets (needs no Duration element). */
    static double lastFrameTime(Path video) throws Exception {
        Process p = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries",
                "packet=pts_time", "-of", "csv=p=0", video.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).mapToDouble(Double::parseDouble).max().orElseThrow();
    }

    static byte[] frameAt(Path video, double seconds) throws Exception {
        Path jpeg = video.resolveSibling("frame.jpg");
        Process p = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-ss",
                Double.toString(seconds), "-i", video.toString(), "-frames:v", "1", "-q:v", "2", jpeg.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return Files.readAllBytes(jpeg);
    }
}
