package kz.qatysu.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded PostgreSQL of one application, run as a production server: data in {@code dataDir/postgres/<app>},
 * PostgreSQL's durable settings (an acknowledged commit survives a crash of the process, the server or the
 * machine), listening on loopback only, and every connection authenticated with the generated password in
 * {@code dataDir/postgres/<app>.password}. The directory is owned through {@code dataDir/postgres/<app>.lock}
 * ({@link DataDirLock}); a postmaster left running by a Qatysu that died is stopped before the start
 * ({@link OrphanedPostmaster}), so the first restart after any crash comes up by itself.
 */
final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    /** The server settings the product runs with; zonky's builder (a test library) turns the first two off. */
    static final Map<String, String> DURABLE = Map.of(
            "fsync", "on",
            "synchronous_commit", "on",
            "full_page_writes", "on");

    static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dir;
    private final DataDirLock lock;
    private final String password;

    private EmbeddedServer(EmbeddedPostgres postgres, Path dir, DataDirLock lock, String password) {
        this.postgres = postgres;
        this.dir = dir;
        this.lock = lock;
        this.password = password;
    }

    static EmbeddedServer start(Path postgresRoot, String app) {
        Path dir = postgresRoot.resolve(app);
        DataDirLock lock;
        try {
            Files.createDirectories(dir);
            ServerPassword.ownerOnly(postgresRoot);
        } catch (IOException e) {
            throw new Database.DatabaseUnavailableException("cannot create the embedded PostgreSQL directory " + dir + ": " + e, e);
        }
        lock = DataDirLock.acquire(postgresRoot.resolve(app + ".lock"), dir);
        try {
            OrphanedPostmaster.stopIfRunning(dir);
            Path passwordFile = postgresRoot.resolve(app + ".password");
            boolean initialised = Files.exists(dir.resolve("postgresql.conf"));
            boolean trusts = initialised && PgHba.trusts(dir.resolve("pg_hba.conf"));
            if (initialised && !trusts && !Files.exists(passwordFile)) {
                throw new Database.DatabaseUnavailableException("the embedded PostgreSQL in " + dir + " needs its password file "
                        + passwordFile + ", which is missing; restore it from the backup of the data directory", null);
            }
            String password = ServerPassword.readOrCreate(passwordFile);
            log.info("Starting embedded PostgreSQL with data in {}", dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false) // a restart finds the same data (zonky skips initdb when it exists)
                    .setPGStartupWait(Duration.ofSeconds(60)) // crash recovery may replay WAL first
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "localhost")
                    // initdb (first start only): the superuser gets the password, every connection must give it
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setConnectConfig("password", password);
            DURABLE.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            if (trusts) {
                requirePassword(postgres, dir, password);
            }
            return new EmbeddedServer(postgres, dir, lock, password);
        } catch (IOException e) {
            lock.close();
            throw new Database.DatabaseUnavailableException("cannot start the embedded PostgreSQL in " + dir + ": "
                    + Database.rootMessage(e) + " (see the log above; set QATYSU_DB_URL to use an external PostgreSQL)", e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * A data directory created by an earlier Qatysu trusts every local connection: the superuser gets the password,
     * pg_hba.conf asks for it from every connection, and the server reloads it.
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path dir, String password) {
        log.info("The embedded PostgreSQL in {} trusted every local connection; switching it to password authentication", dir);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            // a generated url-safe base64 password: nothing in it needs quoting
            st.execute("ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "'");
            ServerPassword.writeOwnerOnly(dir.resolve("pg_hba.conf"), PgHba.PASSWORD_ONLY);
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            closeQuietly(postgres);
            throw new Database.DatabaseUnavailableException("cannot switch the embedded PostgreSQL in " + dir
                    + " to password authentication: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(postgres);
            throw new UncheckedIOException("cannot write " + dir.resolve("pg_hba.conf"), e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl(SUPERUSER, "postgres");
    }

    String password() {
        return password;
    }

    /** Stops the server (zonky's pg_ctl stop, which refuses to run as root; then signals) and gives up the lock. */
    @Override
    public void close() {
        Optional<ProcessHandle> postmaster = OrphanedPostmaster.pidOf(dir.resolve("postmaster.pid")).flatMap(ProcessHandle::of);
        closeQuietly(postgres);
        try {
            postmaster.filter(ProcessHandle::isAlive).ifPresent(p -> OrphanedPostmaster.stop(p, dir));
        } catch (RuntimeException e) {
            log.warn("embedded PostgreSQL did not stop: {}", e.getMessage());
        } finally {
            lock.close();
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    /** The embedded server's pg_hba.conf. */
    static final class PgHba {
        static final String PASSWORD_ONLY = """
                # Written by Qatysu: every connection, local or over loopback, gives the password kept in
                # dataDir/postgres/<app>.password (the server listens on loopback only).
                # TYPE  DATABASE     USER  ADDRESS       METHOD
                local   all          all                 scram-sha-256
                host    all          all   127.0.0.1/32  scram-sha-256
                host    all          all   ::1/128       scram-sha-256
                local   replication  all                 scram-sha-256
                host    replication  all   127.0.0.1/32  scram-sha-256
                host    replication  all   ::1/128       scram-sha-256
                """;

        private PgHba() {
        }

        /** Whether any rule of the file lets a connection in without a password. */
        static boolean trusts(Path hba) {
            try {
                List<String> lines = Files.readAllLines(hba);
                return lines.stream().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                        .anyMatch(l -> List.of(l.split("\\s+")).contains("trust"));
            } catch (IOException e) {
                return false;
            }
        }
    }
}
