package kz.qatysu.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An external PostgreSQL as a university runs one: Debian's server binaries, a cluster made by {@code initdb} in a
 * folder of its own, run by {@code pg_ctl} as the {@code postgres} user (PostgreSQL refuses to run as root), on a
 * loopback port, password authentication with SCRAM-SHA-256 only, fsync on. The tool connects as its own role to its own
 * database, as docs/INSTALL.md tells an administrator to set up.
 */
final class ExternalPostgres implements AutoCloseable {
    static final String DATABASE = "qatysu";
    static final String USER = "qatysu";

    private final Path bin;
    private final Path data;
    private final int port;
    private final String password;
    private final String superPassword;

    private ExternalPostgres(Path bin, Path data, int port, String password, String superPassword) {
        this.bin = bin;
        this.data = data;
        this.port = port;
        this.password = password;
        this.superPassword = superPassword;
    }

    static ExternalPostgres start(Path dir) throws Exception {
        Path bin = Commands.postgresBin();
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        String superPassword = "pg-super-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        String password = "qatysu-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, superPassword + "\n");
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        if (Commands.root()) {
            Commands.run(dir, List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        Commands.run(dir, as(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")));
        int port = Commands.freePort();
        Commands.run(dir, as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c fsync=on -c synchronous_commit=on -c max_connections=100 -c password_encryption=scram-sha-256",
                "start")));
        ExternalPostgres pg = new ExternalPostgres(bin, data, port, password, superPassword);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "postgres", superPassword);
             var st = c.createStatement()) {
            st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            st.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
        return pg;
    }

    private static List<String> as(List<String> command) {
        if (!Commands.root()) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(command);
        return out;
    }

    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    String password() {
        return password;
    }

    /** A connection as the tool's role, for the test to read what was stored. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }

    @Override
    public void close() {
        Commands.run(data.getParent(), as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop")));
    }
}
