package kz.qatysu.launcher;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.tool.LtiToolApp;
import kz.qatysu.tool.ToolSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** {@code ./qatysu tool}: validates the configuration, opens the database, starts the LTI tool. */
final class ToolCommand {
    private static final Logger log = LoggerFactory.getLogger(ToolCommand.class);

    private ToolCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        RunningToolServer server = start(args, env);
        out.println("Qatysu LTI tool listening on " + server.settings().process().httpHost() + ":" + server.app().javalin().port()
                + " (http.host), public URL " + server.settings().process().publicUrl()
                + " (JWKS " + server.settings().process().publicUrl() + "/.well-known/jwks.json)");
        return 0;
    }

    static RunningToolServer start(String[] args, Map<String, String> env) {
        ConfigSource source = ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env);
        ConfigProblems problems = new ConfigProblems();
        ToolSettings settings = ToolSettings.read(new ConfigReader(source, problems));
        problems.throwIfAny();
        log.info("Starting the LTI tool from {}: {}", source.origin(), settings.process());
        Database db = Database.open("tool", settings.process().db(), settings.process().dataDir());
        LtiToolApp app = LtiToolApp.create(settings, db, Clock.systemUTC());
        app.javalin().start(settings.process().httpHost(), settings.process().httpPort());
        log.info("Listening on {}:{} (http.host, http.port)", settings.process().httpHost(), app.javalin().port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.javalin().stop();
            db.close();
        }, "qatysu-tool-shutdown"));
        return new RunningToolServer(settings, app, db);
    }

    record RunningToolServer(ToolSettings settings, LtiToolApp app, Database database) {
    }
}
