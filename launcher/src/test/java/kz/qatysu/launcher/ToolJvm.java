package kz.qatysu.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code ./qatysu tool} in a JVM of its own, so that a test's kill -9 is a real one, and the admin API it answers. */
final class ToolJvm {
    private ToolJvm() {
    }

    /**
     * Starts the tool on {@code dataDir} and {@code port} with the admin {@code token} and {@code env} added; adds the
     * process to {@code started} (for the test's clean-up) and returns once {@code readyPath} answers HTTP.
     */
    static Process start(Path dataDir, int port, String token, Map<String, String> env, List<Process> started,
                         HttpClient http, String readyPath) throws Exception {
        Path log = dataDir.resolve("tool-" + started.size() + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", // starts sooner; the tests are about what survives a crash
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "tool")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QATYSU_DATA_DIR", dataDir.toString());
        pb.environment().put("QATYSU_HTTP_PORT", String.valueOf(port));
        pb.environment().put("QATYSU_ADMIN_TOKEN", token);
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("the tool exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (send(http, port, token, "GET", readyPath, null) > 0) {
                    return p;
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the tool did not come up:\n" + Files.readString(log));
    }

    /** One admin API request; its status. */
    static int send(HttpClient http, int port, String token, String method, String path, String json) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
