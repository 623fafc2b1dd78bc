package kz.qatysu.tool.proctoring.media;

import kz.qatysu.config.Secret;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3-compatible server for the tests: S3Proxy (Maven Central, {@code org.gaul:s3proxy}, copied to
 * {@code target/s3proxy/s3proxy.jar} by the build) in its own JVM on a loopback port, storing objects in a folder
 * through jclouds' filesystem provider, checking every request's AWS Signature V4. A bucket is a folder made
 * before the server starts.
 */
final class S3Server implements AutoCloseable {
    static final String ACCESS_KEY = "qatysu-test-access";
    static final String SECRET_KEY = "qatysu-test-secret-0123456789";

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private S3Server(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    static S3Server start(Path dir, String... buckets) throws Exception {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it (maven-dependency-plugin, s3proxy-for-tests)");
        }
        Path data = Files.createDirectories(dir.resolve("s3-data"));
        for (String bucket : buckets) {
            Files.createDirectories(data.resolve(bucket));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path conf = dir.resolve("s3proxy.conf");
        Files.write(conf, List.of(
                "s3proxy.authorization=aws-v4",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data));
        Path log = dir.resolve("s3proxy.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3Server server = new S3Server(p, endpoint, log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                // any answer (403 without a signature) means it listens
                http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return server;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("S3Proxy did not start: " + Files.readString(log));
                }
                Thread.sleep(200);
            }
        }
    }

    URI endpoint() {
        return endpoint;
    }

    S3Settings settings(String bucket, String prefix) {
        return new S3Settings(endpoint, "us-east-1", bucket, prefix, ACCESS_KEY, new Secret(SECRET_KEY), true);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
