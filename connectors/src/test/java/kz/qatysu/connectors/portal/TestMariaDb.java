package kz.qatysu.connectors.portal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real MariaDB server for a test class: Debian's {@code mariadb-server} (scripts/ensure-mariadb.sh installs it),
 * initialised by {@code mariadb-install-db} into a temporary folder and started on a free loopback port with its own
 * socket, as the current user ({@code --user=root} when that is root), with one database {@code portal} in utf8mb4 and
 * a user with a password. Skipped when the server is not installed, except under CI=true, where that fails.
 */
final class TestMariaDb implements AutoCloseable {
    static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    static final String USER = "qatysu";
    static final String PASSWORD = "portal-pw-1";

    private final Path dir;
    private final Process server;
    private final int port;

    private TestMariaDb(Path dir, Process server, int port) {
        this.dir = dir;
        this.server = server;
        this.port = port;
    }

    static void assumeInstalled() {
        boolean installed = Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB);
        String why = MARIADBD + " or " + INSTALL_DB + " missing (scripts/ensure-mariadb.sh installs Debian's mariadb-server)";
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("MariaDB test cannot run under CI: " + why);
        }
        assumeTrue(installed, "MariaDB test skipped: " + why);
    }

    static TestMariaDb start() throws Exception {
        assumeInstalled();
        Path dir = Files.createTempDirectory("qatysu-mariadb-");
        Path data = dir.resolve("data");
        String user = System.getProperty("user.name");
        run(dir.resolve("install.log"), List.of(INSTALL_DB.toString(), "--no-defaults", "--datadir=" + data, "--user=" + user,
                "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
        Path init = dir.resolve("init.sql");
        Files.writeString(init, """
                CREATE DATABASE IF NOT EXISTS portal CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                CREATE USER IF NOT EXISTS '%s'@'127.0.0.1' IDENTIFIED BY '%s';
                GRANT ALL ON portal.* TO '%s'@'127.0.0.1';
                """.formatted(USER, PASSWORD, USER), StandardCharsets.UTF_8);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(MARIADBD.toString(), "--no-defaults", "--datadir=" + data,
                "--socket=" + dir.resolve("mariadb.sock"), "--pid-file=" + dir.resolve("mariadb.pid"), "--port=" + port,
                "--bind-address=127.0.0.1", "--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=32M",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--log-error=" + dir.resolve("error.log"),
                "--init-file=" + init, "--user=" + user));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("server.out").toFile()).start();
        TestMariaDb db = new TestMariaDb(dir, server, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try (var c = DriverManager.getConnection(db.url(), USER, PASSWORD)) {
                return db;
            } catch (java.sql.SQLException e) {
                if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                    String log = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
                    db.close();
                    throw new IllegalStateException("MariaDB did not start on port " + port + ": " + e.getMessage() + "\n" + log, e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void run(Path log, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + Files.readString(log));
        }
    }

    /** As a portal's operator would write it; {@code jdbc:mysql:} works the same through {@link SqlDialect#driverUrl}. */
    String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/portal";
    }

    HikariDataSource dataSource() {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url());
        cfg.setUsername(USER);
        cfg.setPassword(PASSWORD);
        cfg.setMaximumPoolSize(2);
        return new HikariDataSource(cfg);
    }

    @Override
    public void close() throws Exception {
        server.destroy(); // SIGTERM: mariadbd shuts down cleanly
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
