package kz.qatysu.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL that tests use: one embedded server per test JVM (the same binaries the product embeds),
 * and a fresh, migrated database per call so tests never see each other's rows.
 *
 * <p>An application's migrations run once per JVM, into a template database; each {@link #freshDatabase} is a
 * {@code CREATE DATABASE … TEMPLATE} copy of it (a file copy, a fraction of the migrations' time), which {@link Database#wrap} then finds
 * up to date. The copy holds exactly what running the migrations on an empty database leaves.
 */
public final class TestPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<String, String> TEMPLATES = new HashMap<>();
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
        String name = newName(prefix);
        createDatabase(name, null);
        return dataSource(name, 10);
    }

    /** A new database migrated for {@code app}: a copy of the JVM's migrated template of {@code app}. */
    public static Database freshDatabase(String app) {
        String name = newName(app);
        createDatabase(name, template(app));
        return Database.wrap(app, dataSource(name, 10));
    }

    /** The database that {@code app}'s migrations ran on once in this JVM; nothing connects to it afterwards. */
    private static String template(String app) {
        synchronized (TEMPLATES) {
            String existing = TEMPLATES.get(app);
            if (existing != null) {
                return existing;
            }
            String name = newName("template_" + app);
            createDatabase(name, null);
            try (HikariDataSource ds = dataSource(name, 2)) { // Flyway holds two: its lock and the migration
                Database.migrate(ds, app);
            }
            TEMPLATES.put(app, name);
            return name;
        }
    }

    private static String newName(String prefix) {
        return (prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet()).toLowerCase();
    }

    private static void createDatabase(String name, String template) {
        // a copy needs the template to have no connections; FILE_COPY copies the files (the default WAL_LOG strategy
        // writes every page through the WAL, slower for a whole schema). The names are ours, never a user's input.
        String sql = "CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template + " STRATEGY FILE_COPY");
        try (var c = server().getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource dataSource(String name, int poolSize) {
        var cfg = new HikariConfig();
        cfg.setJdbcUrl(server().getJdbcUrl("postgres", name));
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(poolSize);
        cfg.setPoolName("test-" + name);
        return new HikariDataSource(cfg);
    }
}
