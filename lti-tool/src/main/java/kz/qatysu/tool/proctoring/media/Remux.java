package kz.qatysu.tool.proctoring.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Rewrites a WebM with ffmpeg without re-encoding ({@code ffmpeg -i pipe:0 -c copy -f webm out.webm}), which adds
 * what MediaRecorder's timeslice chunks lack: the duration and the Cues (the seek index). ffmpeg runs as a process
 * (no shell) with the configured program ({@code proctoring.ffmpeg}), reads the WebM from its standard input and
 * writes a file (the muxer seeks back to write the Cues, so the output cannot be a pipe); it is killed after the
 * timeout.
 */
public final class Remux {
    private final String ffmpeg;
    private final Duration timeout;
    private volatile Optional<String> problem;

    public Remux(String ffmpeg, Duration timeout) {
        this.ffmpeg = ffmpeg;
        this.timeout = timeout;
    }

    /** ffmpeg failed, timed out or could not be started; the message has the end of its error output. */
    public static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }
    }

    public String program() {
        return ffmpeg;
    }

    /** Empty when {@code ffmpeg -version} runs; otherwise why not. Checked once, then remembered. */
    public Optional<String> problem() {
        Optional<String> p = problem;
        if (p == null) {
            p = check();
            problem = p;
        }
        return p;
    }

    public boolean available() {
        return problem().isEmpty();
    }

    private Optional<String> check() {
        Path output = null;
        try {
            output = Files.createTempFile("qatysu-ffmpeg-version", ".txt");
            Process process = new ProcessBuilder(ffmpeg, "-hide_banner", "-version").redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill(process);
                return Optional.of("'" + ffmpeg + " -version' did not finish in 10 s");
            }
            String first = Files.readString(output, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            if (process.exitValue() != 0 || !first.startsWith("ffmpeg version")) {
                return Optional.of("'" + ffmpeg + " -version' answered exit " + process.exitValue() + ": " + first);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run '" + ffmpeg + "' (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking '" + ffmpeg + "'");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file of a few bytes
                }
            }
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Remuxes the WebM read from {@code webm} into the new file {@code out} (its folder must exist and should be
     * private; ffmpeg's error output goes to {@code out + ".log"} there and is deleted). {@code webm} is read to
     * the end or until ffmpeg stops reading, but not closed.
     */
    public void remux(InputStream webm, Path out) throws IOException {
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process process;
        try {
            process = new ProcessBuilder(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-i", "pipe:0",
                    "-map", "0", "-c", "copy", "-f", "webm", "-y", out.toString()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new Failed("cannot run '" + ffmpeg + "' (" + e.getMessage() + "); set " + MediaSettings.FFMPEG);
        }
        Exception[] feedError = {null};
        Thread feeder = Thread.ofVirtual().name("remux-feed").start(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                webm.transferTo(stdin);
            } catch (IOException | RuntimeException e) {
                // the source failed (a damaged chunk) or ffmpeg stopped reading: either way the output is incomplete
                feedError[0] = e;
            }
        });
        try {
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                kill(process);
            }
            feeder.join(Duration.ofSeconds(10));
            String errors = errors(log);
            Files.deleteIfExists(log);
            if (!done || process.exitValue() != 0) {
                Files.deleteIfExists(out);
                throw new Failed(done ? "ffmpeg exited with " + process.exitValue() + ": " + errors
                        : "ffmpeg did not finish the remux in " + timeout + " and was stopped");
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while remuxing");
        }
        if (feedError[0] != null) {
            Files.deleteIfExists(out);
            if (feedError[0] instanceof MediaCorrupted c) {
                throw c;
            }
            throw new Failed("the recording could not be read to its end: " + feedError[0].getMessage());
        }
        if (!Files.isRegularFile(out) || Files.size(out) == 0) {
            throw new Failed("ffmpeg wrote nothing");
        }
    }

    private static String errors(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8).strip();
            return s.length() > 600 ? "…" + s.substring(s.length() - 600) : s;
        } catch (IOException e) {
            return "(no error output)";
        }
    }
}
