package kz.qatysu.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.config.ProcessSettings;
import kz.qatysu.database.Database;
import kz.qatysu.database.backup.BackupManifest;
import kz.qatysu.database.backup.BackupRefused;
import kz.qatysu.database.backup.Backups;
import kz.qatysu.tool.ToolSettings;
import kz.qatysu.tool.backup.ToolBackup;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./qatysu backup} and {@code ./qatysu restore} (docs/OPERATIONS.md, "Backup and restore").
 * <ul>
 *   <li>The tool, while it runs on its embedded PostgreSQL (which it owns): through its admin API, which writes the
 *   backup into {@code backup.dir}. When no tool runs, or the database is external: directly.</li>
 *   <li>{@code --files-only}: the files and keys only (the database is backed up with pg_dump).</li>
 *   <li>{@code --app sync}: the sync daemon's database, directly (the daemon must not be running on it).</li>
 *   <li>{@code restore --from DIR [--data-dir NEW]}: checks every file, then restores into an empty data directory.</li>
 * </ul>
 */
final class BackupCommand {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupCommand() {
    }

    static int backup(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            err.println("""
                    usage: ./qatysu backup [--to DIR] [--no-keys] [--files-only] [--url TOOL_URL] [--config FILE]
                           ./qatysu backup --app sync [--to DIR] [--config FILE]""");
            return 2;
        }
        ConfigSource source = ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env);
        String app = Optional.ofNullable(AdminCommands.option(args, "--app")).orElse("tool");
        Optional<Path> to = Optional.ofNullable(AdminCommands.option(args, "--to")).map(p -> Path.of(p).toAbsolutePath().normalize());
        try {
            return switch (app) {
                case "tool" -> tool(args, source, to, out, err);
                case "sync" -> sync(source, to, out, err);
                default -> {
                    err.println("qatysu backup: --app tool or --app sync expected, was '" + app + "'");
                    yield 2;
                }
            };
        } catch (BackupRefused e) {
            err.println("qatysu backup: " + e.getMessage());
            return 1;
        }
    }

    private static int tool(String[] args, ConfigSource source, Optional<Path> to, PrintStream out, PrintStream err) {
        ConfigProblems problems = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(source, problems));
        problems.throwIfAny();
        boolean keys = !List.of(args).contains("--no-keys") && s.backup().includeKeys();
        Path dataDir = s.process().dataDir();
        if (List.of(args).contains("--files-only")) {
            Path target = to.orElse(s.backup().dir().resolve("qatysu-tool-files-" + NAME.format(Clock.systemUTC().instant())));
            return printed(Backups.take(ToolBackup.request(s, Optional.empty(), keys), target, Clock.systemUTC()), target, out);
        }
        Optional<String> owner = s.process().db().embedded() ? Database.embeddedOwner(dataDir, "tool") : Optional.empty();
        if (owner.isPresent()) {
            if (to.isPresent()) {
                err.println("qatysu backup: the tool is running (" + owner.get() + "); it writes the backup into backup.dir "
                        + s.backup().dir() + " (QATYSU_BACKUP_DIR). Leave out --to, or stop the tool to write elsewhere.");
                return 2;
            }
            return throughApi(args, s, keys, out, err);
        }
        Path target = to.orElse(s.backup().dir().resolve("qatysu-tool-" + NAME.format(Clock.systemUTC().instant())));
        try (Database db = Database.open("tool", s.process().db(), dataDir)) {
            return printed(Backups.take(ToolBackup.request(s, Optional.of(db.dataSource()), keys), target, Clock.systemUTC()),
                    target, out);
        }
    }

    private static int sync(ConfigSource source, Optional<Path> to, PrintStream out, PrintStream err) {
        ConfigProblems problems = new ConfigProblems();
        ProcessSettings p = ProcessSettings.read(new ConfigReader(source, problems));
        problems.throwIfAny();
        Optional<String> owner = p.db().embedded() ? Database.embeddedOwner(p.dataDir(), "sync") : Optional.empty();
        if (owner.isPresent()) {
            err.println("qatysu backup: the sync daemon runs the embedded PostgreSQL in " + p.dataDir().resolve("postgres/sync")
                    + " (" + owner.get() + "). Stop it for the backup (systemctl stop qatysu-sync; a timer-driven "
                    + "installation: between runs) and run this again.");
            return 3;
        }
        Path target = to.orElse(p.dataDir().resolve("backups").resolve("qatysu-sync-" + NAME.format(Clock.systemUTC().instant())));
        try (Database db = Database.open("sync", p.db(), p.dataDir())) {
            return printed(Backups.take(new Backups.Request("sync", Optional.of(db.dataSource()), List.of(), false, List.of()),
                    target, Clock.systemUTC()), target, out);
        }
    }

    private static int throughApi(String[] args, ToolSettings s, boolean keys, PrintStream out, PrintStream err) {
        String token = s.process().adminToken().map(t -> t.reveal()).orElse(null);
        if (token == null) {
            err.println("qatysu backup: the tool is running; admin.token (QATYSU_ADMIN_TOKEN) is needed to ask it for the backup");
            return 2;
        }
        String url = Optional.ofNullable(AdminCommands.option(args, "--url")).orElse(s.process().localUrl().toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(url).resolve("/api/v1/admin/backups"))
                .timeout(Duration.ofHours(6))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"includeKeys\": " + keys + "}")).build();
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                err.println("qatysu backup: the tool answered " + r.statusCode() + ": " + r.body());
                return 1;
            }
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r.body())));
            return 0;
        } catch (IOException e) {
            err.println("qatysu backup: cannot reach the running tool at " + url + ": " + e.getMessage() + " (pass --url)");
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static int restore(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String from = AdminCommands.option(args, "--from");
        if (from == null) {
            err.println("usage: ./qatysu restore --from BACKUP_DIR [--data-dir NEW_DATA_DIR] [--config FILE]");
            return 2;
        }
        Path dataDir;
        String given = AdminCommands.option(args, "--data-dir");
        if (given != null) {
            dataDir = Path.of(given);
        } else {
            ConfigProblems problems = new ConfigProblems();
            ProcessSettings p = ProcessSettings.read(new ConfigReader(
                    ConfigSource.load(ConfigSource.locate(args, env).orElse(null), env), problems));
            problems.throwIfAny();
            dataDir = p.dataDir();
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        try {
            BackupManifest m = Backups.restore(Path.of(from).toAbsolutePath().normalize(), dataDir);
            out.println("restored the " + m.app() + " backup of " + m.createdAt() + " (Qatysu " + m.qatysuVersion() + ", "
                    + m.files().size() + " files checked) into " + dataDir);
            m.notes().forEach(n -> out.println("  note: " + n));
            out.println("start it with QATYSU_DATA_DIR=" + dataDir + " ./qatysu " + (m.app().equals("sync") ? "sync daemon" : "tool"));
            return 0;
        } catch (BackupRefused e) {
            err.println("qatysu restore: " + e.getMessage());
            return 1;
        }
    }

    private static int printed(BackupManifest m, Path target, PrintStream out) {
        out.println("backup of " + m.app() + " written to " + target + ": " + m.files().size() + " files, " + m.totalBytes()
                + " bytes" + (m.database() == null ? ", no database" : ", " + m.database().tables().size() + " tables")
                + (m.keysIncluded() ? "; it holds the key files: protect it like the keys" : ""));
        m.notes().forEach(n -> out.println("  note: " + n));
        return 0;
    }
}
