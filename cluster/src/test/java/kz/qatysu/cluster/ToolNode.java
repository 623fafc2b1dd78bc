package kz.qatysu.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One tool node: {@code ./qatysu tool} ({@code kz.qatysu.launcher.Main tool}) in a JVM of its own, configured only
 * by environment variables as a systemd unit would, with its own data directory; the database, the key-encryption
 * key, the proctoring media store and its key are shared by all nodes.
 */
final class ToolNode implements AutoCloseable {
    final String name;
    final int port;
    private final Process process;
    private final Path log;

    private ToolNode(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts the JVM; {@link #awaitReady()} waits for it. */
    static ToolNode launch(String name, Path dataDir, int port, Map<String, String> env) throws IOException {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("tool.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dfile.encoding=UTF-8",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "kz.qatysu.launcher.Main", "tool"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("QATYSU_DATA_DIR", dataDir.toString());
        pb.environment().put("QATYSU_HTTP_PORT", String.valueOf(port));
        return new ToolNode(name, port, pb.start(), log);
    }

    ToolNode awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("tool node " + name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(directUrl() + "/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("tool node " + name + " did not become ready:\n" + Files.readString(log));
    }

    /** The node itself, bypassing nginx (as another node or an attacker on the network would reach it). */
    String directUrl() {
        return "http://127.0.0.1:" + port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no connection closed politely. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
