package kz.qatysu.launcher;

import kz.qatysu.config.ConfigException;
import kz.qatysu.database.Database;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/**
 * The entry point behind {@code ./qatysu}: dispatches to the deployables and the administrator commands.
 * Exit codes: 0 ok, 1 command failed, 2 invalid configuration or usage, 3 a needed service is unavailable.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0 || !keepsRunning(args)) {
            System.exit(code);
        }
    }

    static boolean keepsRunning(String[] args) {
        return args.length > 0 && (args[0].equals("tool") || args[0].equals("demo")
                || (args[0].equals("sync") && args.length > 1 && args[1].equals("daemon")));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(out);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        // read by logback.xml itself (it starts before the configuration); checked here so a typo is not silent
        String logFormat = env.getOrDefault("QATYSU_LOG_FORMAT", System.getProperty("QATYSU_LOG_FORMAT", "text"));
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            err.println("QATYSU_LOG_FORMAT: '" + logFormat + "' is not a log format (text or json)");
            return 2;
        }
        try {
            return switch (args[0]) {
                case "tool" -> ToolCommand.run(rest, env, out);
                case "demo" -> DemoCommand.run(rest, env, out);
                case "sync" -> SyncCommand.run(rest, env, out, err);
                case "config" -> ConfigCommand.run(rest, env, out, err);
                case "platforms" -> AdminCommands.platforms(rest, env, out, err);
                case "keys" -> AdminCommands.keys(rest, env, out, err);
                case "proctoring" -> ProctoringCommand.run(rest, env, out, err);
                case "backup" -> BackupCommand.backup(rest, env, out, err);
                case "restore" -> BackupCommand.restore(rest, env, out, err);
                case "help", "--help", "-h" -> {
                    usage(out);
                    yield 0;
                }
                default -> {
                    err.println("qatysu: unknown command '" + args[0] + "'");
                    usage(err);
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (Database.DatabaseUnavailableException e) {
            err.println("qatysu: " + e.getMessage());
            return 3;
        }
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: ./qatysu <command> [--config file.yaml]
                  demo                      LTI tool + sync daemon + demo LTI platform on embedded defaults
                  tool                      the LTI tool alone
                  sync <run|plan|status|daemon|help> ...   the sync daemon and its CLI
                  config check              validate the configuration (all problems at once), start nothing
                  platforms list|add|disable|register-url  LTI platform registrations (through the tool's admin API)
                  keys rotate               rotate the tool's signing key (old key stays published for the grace period)
                  proctoring calibrate DIR  face match distances of consented photos (one folder per person), a threshold
                  backup [--to DIR] [--no-keys] [--files-only] [--app sync]   a consistent backup, also while the tool runs
                  restore --from DIR [--data-dir NEW]   checks the backup, restores it into an empty data directory
                  test                      all tests
                The configuration file comes from --config or QATYSU_CONFIG; every key can be set by environment
                (QATYSU_HTTP_PORT, QATYSU_PUBLIC_URL, QATYSU_DATA_DIR, QATYSU_DB_URL, QATYSU_ADMIN_TOKEN, ...).""");
    }
}
