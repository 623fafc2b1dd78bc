package kz.qatysu.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Running the Debian programs the cluster test uses (nginx, PostgreSQL's initdb / pg_ctl, openssl). */
final class Commands {
    private Commands() {
    }

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    /** The newest Debian PostgreSQL's bin folder ({@code /usr/lib/postgresql/<major>/bin}), if installed. */
    static Path postgresBin() {
        try (var majors = Files.list(Path.of("/usr/lib/postgresql"))) {
            return majors.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                    .max((x, y) -> Integer.compare(major(x), major(y))).map(p -> p.resolve("bin")).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int major(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Skips the test, saying why, when nginx, PostgreSQL or openssl is missing — except under CI ({@code CI=true}), where
     * that fails it: a green CI run must not hide a skipped cluster test. scripts/ensure-cluster-tools.sh installs them.
     */
    static void assumeInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(NGINX)) {
            missing.add("nginx (" + NGINX + ")");
        }
        if (postgresBin() == null) {
            missing.add("postgresql (/usr/lib/postgresql/*/bin/initdb)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            missing.add("openssl");
        }
        String why = String.join(", ", missing) + " missing (scripts/ensure-cluster-tools.sh installs Debian's packages)";
        if (!missing.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("the cluster test cannot run under CI: " + why);
        }
        assumeTrue(missing.isEmpty(), "cluster test skipped: " + why);
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command to its end; its output is returned, a non-zero exit fails with that output. */
    static String run(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + " from " + command + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static int freePort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
