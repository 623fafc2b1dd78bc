package kz.qatysu.launcher;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** {@code ./qatysu demo}: the tool on embedded defaults (the demo platform and the daemon join it when present). */
final class DemoCommand {
    private DemoCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        Map<String, String> demoEnv = new HashMap<>(env);
        demoEnv.putIfAbsent("QATYSU_ADMIN_TOKEN", "demo-admin-token-change-me");
        ToolCommand.RunningToolServer tool = ToolCommand.start(args, demoEnv);
        out.println("Qatysu demo: LTI tool on " + tool.settings().process().publicUrl());
        return 0;
    }
}
