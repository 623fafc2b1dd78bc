package kz.qatysu.tool.testing;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.ToolSettings;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The real tool for tests: a fresh migrated database on the shared embedded PostgreSQL, the app started on an
 * ephemeral port, its public URL pointing at that port.
 */
public final class RunningTool implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    private final Database database;
    private final LtiToolApp app;
    private final int port;
    private final boolean ownsDatabase;

    private RunningTool(Database database, LtiToolApp app, int port) {
        this(database, app, port, true);
    }

    private RunningTool(Database database, LtiToolApp app, int port, boolean ownsDatabase) {
        this.database = database;
        this.app = app;
        this.port = port;
        this.ownsDatabase = ownsDatabase;
    }

    public static RunningTool start() {
        return start(Map.of(), Clock.systemUTC());
    }

    public static RunningTool start(Map<String, String> extraEnv, Clock clock) {
        return start(extraEnv, clock, TestPostgres.freshDatabase("tool"));
    }

    /**
     * The tool as production runs it: its own embedded PostgreSQL in {@code dataDir/postgres/tool} (durable, owned
     * through the lock file), started by {@link Database#open}, everything else under {@code dataDir} too.
     */
    public static RunningTool onDataDir(java.nio.file.Path dataDir, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("QATYSU_DATA_DIR", dataDir.toString());
        ConfigProblems problems = new ConfigProblems();
        ToolSettings settings = ToolSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        problems.throwIfAny();
        return start(env, Clock.systemUTC(), Database.open("tool", settings.process().db(), dataDir));
    }

    private static RunningTool start(Map<String, String> extraEnv, Clock clock, Database db) {
        int port = FreePort.find();
        Map<String, String> env = new HashMap<>();
        env.put("QATYSU_HTTP_PORT", String.valueOf(port));
        env.put("QATYSU_PUBLIC_URL", "http://localhost:" + port);
        env.put("QATYSU_ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("QATYSU_UI_DEFAULT_LANGUAGE", "en");
        env.putAll(extraEnv);
        ConfigProblems problems = new ConfigProblems();
        ToolSettings settings = ToolSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        problems.throwIfAny();
        LtiToolApp app = LtiToolApp.create(settings, db, clock);
        app.javalin().start("127.0.0.1", port);
        return new RunningTool(db, app, port);
    }

    /**
     * Stops this tool and starts a new one on the same database with {@code extraEnv} (on another port): a restart
     * after a configuration change. Close the returned tool, not this one.
     */
    public RunningTool restart(Map<String, String> extraEnv, Clock clock) {
        app.javalin().stop();
        return start(extraEnv, clock, database);
    }

    /** The tool on a database the test made (e.g. with a small pool); closing the tool closes it. */
    public static RunningTool onDatabase(Database db, Map<String, String> extraEnv) {
        return start(extraEnv, Clock.systemUTC(), db);
    }

    /**
     * A second node on this tool's database (its own app, caches, timers and port), as a second server behind a load
     * balancer runs: closing it leaves the database to this tool.
     */
    public RunningTool anotherNode(Map<String, String> extraEnv, Clock clock) {
        RunningTool other = start(extraEnv, clock, database);
        return new RunningTool(database, other.app, other.port, false);
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public LtiToolApp app() {
        return app;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        app.javalin().stop();
        if (ownsDatabase) {
            database.close();
        }
    }
}
