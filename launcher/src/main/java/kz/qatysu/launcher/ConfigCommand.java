package kz.qatysu.launcher;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.ToolSettings;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** {@code ./qatysu config check}: binds the tool's and the daemon's settings and reports every problem; starts nothing. */
final class ConfigCommand {
    private ConfigCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("check")) {
            err.println("usage: ./qatysu config check [--config file.yaml]");
            return 2;
        }
        ConfigSource source = ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env);
        ConfigProblems problems = new ConfigProblems();
        ConfigReader reader = new ConfigReader(source, problems);
        ToolSettings.read(reader);
        SyncCommand.checkSettings(reader);
        // the daemon and the tool share the process keys: report each problem once
        Set<ConfigProblem> unique = new LinkedHashSet<>(problems.list());
        if (unique.isEmpty()) {
            out.println("Configuration from " + source.origin() + " is valid.");
            return 0;
        }
        err.println("Configuration from " + source.origin() + " has " + unique.size() + " problem" + (unique.size() == 1 ? "" : "s") + ":");
        unique.forEach(p -> err.println("  - " + p));
        return 2;
    }
}
