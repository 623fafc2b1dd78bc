package kz.qatysu.tool.proctoring.media;

import kz.qatysu.tool.proctoring.analysis.Photos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A live WebM as MediaRecorder writes one — VP8, no Cues, no Duration, Segment and Clusters of unknown size — made
 * by Debian's ffmpeg writing to a pipe (test code). The browser test uses Chromium's real MediaRecorder output.
 */
final class LiveWebm {
    private static byte[] made;

    private LiveWebm() {
    }

    static void assumeFfmpeg() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe"));
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("ffmpeg/ffprobe missing under CI (scripts/ensure-browser.sh installs Debian's ffmpeg)");
        }
        assumeTrue(installed, "ffmpeg/ffprobe missing (scripts/ensure-browser.sh installs Debian's ffmpeg)");
    }

    /** 3 s of a photograph at 10 frames/s, a key frame every second. */
    static synchronized byte[] threeSeconds() throws IOException, InterruptedException {
        if (made == null) {
            Path dir = Files.createTempDirectory("live-webm");
            Path photo = Files.write(dir.resolve("photo.jpg"), Photos.bytes(Photos.ASTRONAUT));
            Process p = new ProcessBuilder(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-loop", "1",
                    "-framerate", "10", "-i", photo.toString(), "-t", "3", "-vf", "scale=640:480,format=yuv420p",
                    "-c:v", "libvpx", "-b:v", "1M", "-deadline", "realtime", "-g", "10", "-live", "1", "-f", "webm", "pipe:1"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            byte[] webm = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg could not make the test WebM");
            }
            Files.delete(photo);
            Files.delete(dir);
            made = webm;
        }
        return made.clone();
    }

    /** The seconds ffprobe reads as the file's duration; NaN when it reports none. */
    static double ffprobeDuration(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", file.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        try {
            return Double.parseDouble(out);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
