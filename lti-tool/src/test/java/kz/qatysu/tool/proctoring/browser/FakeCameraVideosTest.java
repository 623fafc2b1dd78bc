package kz.qatysu.tool.proctoring.browser;

import kz.qatysu.tool.proctoring.analysis.AnalysisSettings;
import kz.qatysu.tool.proctoring.analysis.FaceAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake-camera videos show what they are named after, as the server's face analysis sees their frames. */
class FakeCameraVideosTest {
    static FaceAnalysis analysis;

    @BeforeAll
    static void load() {
        ProctoringChromium.assumeInstalled();
        analysis = new FaceAnalysis(AnalysisSettings.defaults());
    }

    @AfterAll
    static void close() {
        if (analysis != null) {
            analysis.close();
        }
    }

    /** Frame {@code n} of the video as a JPEG, cut out by ffmpeg. */
    static byte[] frame(Path video, int n) throws IOException, InterruptedException {
        Path jpeg = Files.createTempFile("frame", ".jpg");
        try {
            Process p = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i",
                    video.toString(), "-vf", "select=eq(n\\," + n + ")", "-frames:v", "1", "-q:v", "2", jpeg.toString()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
            return Files.readAllBytes(jpeg);
        } finally {
            Files.deleteIfExists(jpeg);
        }
    }

    @Test
    void the_videos_are_640_by_480_y4m_of_five_seconds() throws IOException {
        for (Path v : List.of(FakeCameraVideos.oneFace(), FakeCameraVideos.twoFaces())) {
            String header = new String(Files.readAllBytes(v), 0, 64, java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(header).startsWith("YUV4MPEG2 W640 H480 F15:1");
            long frameBytes = 640 * 480 * 3 / 2 + "FRAME\n".length();
            assertThat(Files.size(v) / frameBytes).isEqualTo(75);
            assertThat(v.startsWith(FakeCameraVideos.folder())).isTrue();
        }
    }

    @Test
    void the_analysis_finds_one_face_in_frames_of_one_face_and_two_in_frames_of_two_faces() throws Exception {
        for (int n : new int[]{0, 37, 74}) {
            assertThat(analysis.detect(frame(FakeCameraVideos.oneFace(), n)).count()).as("one face, frame %d", n).isEqualTo(1);
            assertThat(analysis.detect(frame(FakeCameraVideos.twoFaces(), n)).count()).as("two faces, frame %d", n).isEqualTo(2);
            assertThat(analysis.detect(frame(FakeCameraVideos.noFace(), n)).count()).as("no face, frame %d", n).isZero();
        }
    }

    @Test
    void the_picture_moves_from_frame_to_frame() throws Exception {
        assertThat(frame(FakeCameraVideos.oneFace(), 0)).isNotEqualTo(frame(FakeCameraVideos.oneFace(), 10));
    }
}
