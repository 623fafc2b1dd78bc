package kz.qatysu.launcher;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.sync.SyncCli;
import kz.qatysu.sync.SyncSettings;

import java.io.PrintStream;
import java.util.Map;

/** {@code ./qatysu sync ...}: the sync daemon's CLI ({@code run|plan|status|check|daemon|help}, see docs/SYNC.md). */
final class SyncCommand {
    private SyncCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return SyncCli.run(args, env, out, err);
    }

    /** Binds the daemon's settings when the configuration has a {@code sync} section (a tool-only file has none). */
    static void checkSettings(ConfigReader reader) {
        if (reader.isPresent("sync")) {
            SyncSettings.read(reader);
        }
    }
}
