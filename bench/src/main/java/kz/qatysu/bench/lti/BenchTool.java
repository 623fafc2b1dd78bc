package kz.qatysu.bench.lti;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.ToolSettings;

import java.time.Clock;

/**
 * The LTI tool as the benchmark runs it: its own JVM, configured from the environment exactly like a deployment
 * ({@code QATYSU_HTTP_PORT}, {@code QATYSU_PUBLIC_URL}, {@code QATYSU_DB_URL}, …), listening on loopback.
 * Prints {@code QATYSU_TOOL_READY <port>} once it serves requests.
 */
public final class BenchTool {
    public static final String READY = "QATYSU_TOOL_READY";

    private BenchTool() {
    }

    public static void main(String[] args) {
        ConfigProblems problems = new ConfigProblems();
        ToolSettings settings = ToolSettings.read(new ConfigReader(ConfigSource.load(null, System.getenv()), problems));
        problems.throwIfAny();
        Database db = Database.open("tool", settings.process().db(), settings.process().dataDir());
        LtiToolApp app = LtiToolApp.create(settings, db, Clock.systemUTC());
        app.javalin().start("127.0.0.1", settings.process().httpPort());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.javalin().stop();
            db.close();
        }, "bench-tool-shutdown"));
        System.out.println(READY + " " + app.javalin().port());
        System.out.flush();
    }
}
