package kz.qatysu.tool.proctoring.browser;

import kz.qatysu.tool.proctoring.analysis.Photos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fake-camera videos for Chromium's {@code --use-file-for-fake-video-capture}, made by {@code scripts/fake-camera.sh}
 * (Debian's ffmpeg) from the openly licensed test photographs (analysis/photos/NOTICE.md): 640×480 .y4m, 5 s at
 * 15 frames/s (Chromium loops it), a slow zoom so that it moves. Made once into {@code target/fake-camera/} (about
 * 35 MB each, never committed) and reused by later tests and runs.
 */
public final class FakeCameraVideos {
    private FakeCameraVideos() {
    }

    /** One person, facing the camera (the astronaut photograph). */
    public static synchronized Path oneFace() {
        return made("one-face.y4m", Photos.ASTRONAUT);
    }

    /** Two people side by side (the astronaut and Grace Hopper): a second person in front of the camera. */
    public static synchronized Path twoFaces() {
        return made("two-faces.y4m", Photos.ASTRONAUT, Photos.GRACE_HOPPER);
    }

    /** Nobody: a coffee cup (the examinee left). */
    public static synchronized Path noFace() {
        return made("no-face.y4m", Photos.COFFEE);
    }

    /** {@code target/fake-camera} of this module. */
    public static Path folder() {
        return Path.of("target", "fake-camera").toAbsolutePath();
    }

    private static synchronized Path made(String name, String... photos) {
        Path out = folder().resolve(name);
        if (Files.isRegularFile(out)) {
            return out;
        }
        // the test JVMs run at once (surefire forkCount): one makes a video, the others wait for it and find it made
        try {
            Files.createDirectories(folder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(folder().resolve(".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = lock.lock()) {
            if (Files.isRegularFile(out)) {
                return out;
            }
            List<String> command = new ArrayList<>(List.of(script().toString(), out.toString()));
            for (String photo : photos) {
                Path file = folder().resolve(photo);
                Files.write(file, Photos.bytes(photo));
                command.add(file.toString());
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(out)) {
                throw new IllegalStateException("scripts/fake-camera.sh could not make " + name + ": " + output);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** scripts/fake-camera.sh of the repository (the tests run in the module's folder). */
    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts").resolve("fake-camera.sh");
            if (Files.isExecutable(script)) {
                return script;
            }
        }
        throw new IllegalStateException("scripts/fake-camera.sh not found above " + Path.of("").toAbsolutePath());
    }
}
