package kz.qatysu.launcher;

import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.tool.lti.platforms.PlatformInput;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./qatysu demo}: the LTI tool on embedded defaults plus the demo LTI 1.3 platform (dev code, not part of
 * the production tool), registered with the tool, so a newcomer sees real launches in a browser without a Moodle.
 * The platform listens on the tool's port + 1 ({@code QATYSU_DEMO_PORT}) with a fixed client id, so a restart
 * finds its registration again.
 */
final class DemoCommand {
    static final String DEMO_CLIENT_ID = "qatysu-demo-client";

    private DemoCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        Map<String, String> demoEnv = new HashMap<>(env);
        demoEnv.putIfAbsent("QATYSU_ADMIN_TOKEN", "demo-admin-token-change-me");
        ToolCommand.RunningToolServer tool = ToolCommand.start(args, demoEnv);
        String toolUrl = tool.settings().process().publicUrl().toString();
        int demoPort = Integer.parseInt(demoEnv.getOrDefault("QATYSU_DEMO_PORT",
                String.valueOf(tool.app().javalin().port() + 1)));
        DemoPlatform platform = DemoPlatform.start(new DemoPlatform.Settings(demoPort, toolUrl, DEMO_CLIENT_ID, "1",
                tool.settings().process().dataDir()));
        Runtime.getRuntime().addShutdownHook(new Thread(platform::stop, "qatysu-demo-platform-shutdown"));
        if (tool.app().platforms().forLogin(platform.issuer(), platform.clientId()).isEmpty()) {
            tool.app().platforms().register(new PlatformInput(platform.issuer(), platform.clientId(), "Demo platform (Moodle-like)",
                    platform.authLoginUrl(), platform.authTokenUrl(), platform.keySetUrl(), List.of(platform.deploymentId()), true),
                    "demo", "demo");
        }
        SyncDaemonApp daemon = startDaemon(demoEnv, toolUrl, tool.settings().process().dataDir(), out);
        out.println();
        out.println("Qatysu demo is running.");
        out.println("  LTI tool:       " + toolUrl + "   (JWKS " + toolUrl + "/.well-known/jwks.json)");
        out.println("  Demo platform:  " + platform.demoPageUrl() + "   ← open this and launch as teacher or student");
        out.println("  Admin API token (demo only): set QATYSU_ADMIN_TOKEN to choose your own");
        out.println("  Sync daemon:    the CSV university in " + home().resolve("config/demo-university")
                + " → the tool, every minute (" + String.join(", ", daemon.jobNames()) + ")");
        out.println("Stop with Ctrl+C.");
        return 0;
    }

    /**
     * The sync daemon of the demo ({@code config/sync-demo.yaml}): the CSV sample university synced into the tool of
     * this process, so launches from the demo platform land on a real roster and timetable. Sections and the timetable
     * are synced once right away; the daemon's schedule keeps them in step afterwards.
     */
    private static SyncDaemonApp startDaemon(Map<String, String> env, String toolUrl, Path dataDir, PrintStream out) {
        Map<String, String> syncEnv = new HashMap<>(env);
        syncEnv.put("QATYSU_SYNC_TOOL_URL", toolUrl);
        syncEnv.putIfAbsent("QATYSU_SYNC_PORTAL_CSV_FOLDER", home().resolve("config/demo-university").toString());
        syncEnv.putIfAbsent("QATYSU_SYNC_PORTAL_SINK_FOLDER", dataDir.resolve("demo-portal-outbox").toString());
        ConfigProblems problems = new ConfigProblems();
        SyncSettings settings = SyncSettings.read(new ConfigReader(
                ConfigSource.load(home().resolve("config/sync-demo.yaml"), syncEnv), problems));
        problems.throwIfAny();
        SyncDaemonApp daemon = SyncDaemonApp.create(settings);
        daemon.start();
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::stop, "qatysu-demo-sync-shutdown"));
        for (String job : new String[]{"sections", "timetable"}) {
            SyncRunReport report = daemon.runNow(job, false, false);
            out.print("  " + report.summary().replace("\n", "\n  ").stripTrailing() + "\n");
        }
        return daemon;
    }

    /** The repository root: where {@code ./qatysu} lives (it passes -Dqatysu.home), else the working directory. */
    private static Path home() {
        return Path.of(System.getProperty("qatysu.home", ".")).toAbsolutePath().normalize();
    }
}
