package kz.qatysu.launcher;

import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.tool.lti.platforms.PlatformInput;

import java.io.PrintStream;
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
        out.println();
        out.println("Qatysu demo is running.");
        out.println("  LTI tool:       " + toolUrl + "   (JWKS " + toolUrl + "/.well-known/jwks.json)");
        out.println("  Demo platform:  " + platform.demoPageUrl() + "   ← open this and launch as teacher or student");
        out.println("  Admin API token (demo only): set QATYSU_ADMIN_TOKEN to choose your own");
        out.println("Stop with Ctrl+C.");
        return 0;
    }
}
