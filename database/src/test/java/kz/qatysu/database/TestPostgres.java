package kz.qatysu.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL that tests use: one embedded server per test JVM (the same binaries the product embeds),
 * and a fresh, migrated database per call so tests never see each other's rows.
 */
public final class TestPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // Fast, not durable, asked for here only: a test server's data dies with the test JVM anyway.
                // The product's server (EmbeddedServer) runs with PostgreSQL's durable defaults.
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "400")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary data directory goes with it
                }
            }));
        }
        return server;
    }

    /** A new empty database on the shared server, as a pooled data source. */
    public static HikariDataSource freshDataSource(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()).toLowerCase();
        try (var c = server().getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        var cfg = new HikariConfig();
        cfg.setJdbcUrl(server().getJdbcUrl("postgres", name));
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(10);
        cfg.setPoolName("test-" + name);
        return new HikariDataSource(cfg);
    }

    /** A new database migrated for {@code app}. */
    public static Database freshDatabase(String app) {
        return Database.wrap(app, freshDataSource(app));
    }
}
