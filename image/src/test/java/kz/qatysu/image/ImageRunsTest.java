package kz.qatysu.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §3: the OCI image Jib built without a Docker daemon, on the Debian base of scripts/build-base-image.sh.
 * Its layers and entrypoint are read from the tarball, and then it is run: the layers unpacked into a root
 * filesystem, the entrypoint started in it (chroot, as the image's user) — so an image that cannot run fails here.
 */
class ImageRunsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    static Path image;
    static JsonNode config;
    static List<String> layers;

    @BeforeAll
    static void read_the_image_tarball() throws Exception {
        image = Path.of(System.getProperty("qatysu.image.tar", "target/qatysu-image.tar"));
        assertThat(image).isRegularFile();
        Path unpacked = Files.createDirectories(work.resolve("image"));
        exec(List.of("tar", "-xf", image.toString(), "-C", unpacked.toString()), unpacked);
        JsonNode manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile());
        layers = new ArrayList<>();
        manifest.get("Layers").forEach(l -> layers.add(unpacked.resolve(l.asText()).toString()));
    }

    @Test
    void the_entrypoint_runs_the_launcher_as_the_unprivileged_user_with_the_tool_as_default_command() {
        JsonNode c = config.get("config");
        List<String> entrypoint = strings(c.get("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("--enable-native-access=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file")
                .endsWith("kz.qatysu.launcher.Main");
        assertThat(strings(c.get("Cmd"))).containsExactly("tool");
        assertThat(c.get("User").asText()).isEqualTo("qatysu");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(strings(c.get("Env"))).contains("QATYSU_DATA_DIR=/var/lib/qatysu", "QATYSU_HTTP_HOST=0.0.0.0");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void the_layers_are_the_debian_base_then_the_libraries_then_the_application() throws Exception {
        assertThat(layers.size()).isGreaterThanOrEqualTo(3);
        assertThat(entries(layers.get(0))).as("the base: Debian with its Java runtime")
                .anyMatch(e -> e.matches("(\\./)?usr/lib/jvm/java-21-openjdk-amd64/bin/java"));
        List<String> app = new ArrayList<>();
        for (String layer : layers.subList(1, layers.size())) {
            app.addAll(entries(layer));
        }
        assertThat(app).anyMatch(e -> e.matches("/?app/libs/javalin-.*\\.jar"))
                .anyMatch(e -> e.matches("/?app/libs/qatysu-lti-tool-.*\\.jar"))
                .anyMatch(e -> e.matches("/?app/jib-classpath-file"));
    }

    @Test
    void the_image_runs_the_tool_which_serves_its_keys_and_stops_on_sigterm() throws Exception {
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        for (String layer : layers) {
            exec(List.of("tar", "-x", "--numeric-owner", "-f", layer, "-C", rootfs.toString()), rootfs);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JsonNode c = config.get("config");
        List<String> inside = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        inside.addAll(strings(c.get("Env")));
        inside.addAll(List.of("QATYSU_HTTP_PORT=" + port, "QATYSU_PUBLIC_URL=http://127.0.0.1:" + port,
                "QATYSU_ADMIN_TOKEN=image-admin-token-0123456789", "HOME=/var/lib/qatysu"));
        inside.addAll(strings(c.get("Entrypoint")));
        inside.addAll(strings(c.get("Cmd")));
        // what a container runtime gives every container: /proc, /dev (with /dev/shm for PostgreSQL) and an
        // /etc/hosts naming localhost — in a private mount namespace that disappears with the process
        Path hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
        if (!Files.exists(rootfs.resolve("etc/hosts"))) {
            Files.createFile(rootfs.resolve("etc/hosts"));
        }
        String script = "mount --bind /proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" && "
                + "mount --bind " + hosts + " \"$0/etc/hosts\" && cd \"$0\" && "
                + "exec chroot --userspec=qatysu:qatysu \"$0\" /bin/sh -c 'cd /var/lib/qatysu && exec \"$@\"' sh \"$@\"";
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child=SIGTERM",
                "/bin/sh", "-c", script, rootfs.toString()));
        command.addAll(inside);
        Process container = new ProcessBuilder(command).redirectErrorStream(true).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture.runAsync(() -> {
            try (var in = new BufferedReader(new InputStreamReader(container.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException ignored) {
                // ended
            }
        });
        StringBuilder log = new StringBuilder();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            boolean listening = false;
            while (!listening && System.nanoTime() < deadline && container.isAlive()) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    log.append(line).append('\n');
                    listening = line.contains("Qatysu LTI tool listening on");
                }
            }
            assertThat(listening).as("container output:\n%s", log).isTrue();
            HttpResponse<String> jwks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/.well-known/jwks.json")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(jwks.statusCode()).isEqualTo(200);
            assertThat(jwks.body()).contains("\"kty\":\"RSA\"");
            assertThat(rootfs.resolve("var/lib/qatysu/postgres/tool/PG_VERSION")).as("the embedded PostgreSQL in the volume").isRegularFile();
        } finally {
            // what `docker stop` does: SIGTERM to the container's main process, the JVM (unshare itself ignores it)
            container.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .forEach(ProcessHandle::destroy);
            boolean stopped = container.waitFor(90, TimeUnit.SECONDS);
            if (!stopped) {
                container.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                container.destroyForcibly();
            }
            assertThat(stopped).as("stops within 90 s of SIGTERM").isTrue();
        }
        assertThat(rootfs.resolve("var/lib/qatysu/postgres/tool/postmaster.pid")).as("PostgreSQL shut down cleanly").doesNotExist();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> entries(String layer) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tar", "-tf", layer));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out.lines().toList();
    }

    static void exec(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }

}
