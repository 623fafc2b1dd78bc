package kz.qatysu.launcher;

import kz.qatysu.config.ConfigReader;

import java.io.PrintStream;
import java.util.Map;

/** {@code ./qatysu sync ...}: the sync daemon's CLI. */
final class SyncCommand {
    private SyncCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        out.println("Qatysu sync daemon: no jobs are configured in this build yet.");
        return 0;
    }

    static void checkSettings(ConfigReader reader) {
        // the daemon's settings are bound here once the sync module provides them
    }
}
