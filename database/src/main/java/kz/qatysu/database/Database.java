package kz.qatysu.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.config.DatabaseSettings;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * One application's PostgreSQL: a HikariCP pool over either the configured server or an embedded one whose
 * data directory is kept under {@code dataDir/postgres/<app>} ({@link EmbeddedServer}: durable settings, loopback,
 * a generated password, restart after a crash), with that application's Flyway migrations
 * ({@code classpath:db/migration/<app>}) applied before anything else touches it.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final EmbeddedServer embedded;

    private Database(HikariDataSource dataSource, EmbeddedServer embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /** Starts (or connects to) the database of {@code app} and migrates it. */
    public static Database open(String app, DatabaseSettings settings, Path dataDir) {
        Objects.requireNonNull(app, "app");
        EmbeddedServer embedded = null;
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("qatysu-" + app);
        hikari.setMaximumPoolSize(settings.maxPoolSize());
        if (settings.embedded()) {
            embedded = EmbeddedServer.start(dataDir.resolve("postgres"), app);
            hikari.setJdbcUrl(embedded.jdbcUrl());
            hikari.setUsername(EmbeddedServer.SUPERUSER);
            hikari.setPassword(embedded.password());
        } else {
            hikari.setJdbcUrl(settings.url().orElseThrow());
            hikari.setUsername(settings.user());
            settings.password().ifPresent(p -> hikari.setPassword(p.reveal()));
            log.info("{}: using PostgreSQL at {}", app, DatabaseSettings.maskJdbcPassword(settings.url().get()));
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw new DatabaseUnavailableException(app + ": cannot connect to PostgreSQL at "
                    + hikari.getJdbcUrl().replaceAll("(?i)(password=)[^&;]*", "$1<masked>") + ": " + rootMessage(e), e);
        }
        try {
            migrate(ds, app);
        } catch (RuntimeException e) {
            ds.close();
            closeQuietly(embedded);
            throw e;
        }
        return new Database(ds, embedded);
    }

    /**
     * The Qatysu process that runs the embedded PostgreSQL of {@code app} in {@code dataDir} now (its pid, start time
     * and command), or empty when none does.
     */
    public static java.util.Optional<String> embeddedOwner(Path dataDir, String app) {
        return DataDirLock.heldBy(dataDir.resolve("postgres").resolve(app + ".lock"));
    }

    /** Wraps an existing data source (tests): migrates it for {@code app}, owns no server. */
    public static Database wrap(String app, HikariDataSource dataSource) {
        migrate(dataSource, app);
        return new Database(dataSource, null);
    }

    public static void migrate(DataSource dataSource, String app) {
        migrate(dataSource, "flyway_history_" + app, "classpath:db/migration/" + app);
    }

    /**
     * Migrations out of order are applied: each feature owns a block of versions (the tool: V1–V2 LTI core, V20
     * attendance, V30 warnings, V50–V59 course pages, V60 check-in, …), so a feature added later may bring a version
     * below the highest one a running installation has applied. Every migration builds only on the core tables of
     * the lower blocks, so applying a lower, newly shipped one after higher ones is safe.
     */
    static void migrate(DataSource dataSource, String historyTable, String location) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(location)
                .table(historyTable)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .outOfOrder(true)
                .load();
        // Several nodes started at once on an empty database: one creates the history table and, until it has written
        // its first row, another finds the table empty and refuses to baseline it. That node waits for the first one
        // and tries again: then Flyway's lock makes it wait for the migration running and find it applied.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                flyway.migrate();
                return;
            } catch (org.flywaydb.core.api.FlywayException e) {
                String m = String.valueOf(e.getMessage());
                if (!m.contains("Unable to baseline schema history table") || !m.contains("is empty") || System.nanoTime() > deadline) {
                    throw e;
                }
                log.info("{}: another process is creating the schema history table; trying again in 0.5 s", historyTable);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedServer server) {
        if (server != null) {
            server.close();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The database could not be started or reached. */
    public static final class DatabaseUnavailableException extends RuntimeException {
        public DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
