package kz.qatysu.launcher;

import kz.qatysu.config.DatabaseSettings;
import kz.qatysu.database.Database;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./qatysu backup} and {@code ./qatysu restore} as an operator runs them (Main.run, real embedded PostgreSQL). */
class BackupCommandTest {
    static final DatabaseSettings EMBEDDED = new DatabaseSettings(Optional.empty(), "postgres", Optional.empty(), 2);

    @Test
    void the_sync_daemons_database_makes_the_round_trip_through_backup_and_restore(@TempDir Path tmp) {
        Path original = tmp.resolve("original");
        List<String> before;
        try (Database db = Database.open("sync", EMBEDDED, original)) {
            db.jdbi().useHandle(h -> {
                h.execute("INSERT INTO sync_run (job, started_at, finished_at, status, dry_run, forced, summary, report) VALUES "
                        + "('nightly', now(), now(), 'OK', false, false, '3 changes', '{\"written\": 3}'::jsonb)");
                for (int i = 0; i < 50; i++) {
                    h.execute("INSERT INTO sync_ledger (target, record_key, content_hash, fields, updated_at, run_id) VALUES "
                            + "('moodle.user', ?, md5(?), jsonb_build_object('name', 'Әлия ' || ?, 'tab', E'a\\tb'), now(), 1)",
                            "P-" + i, "P-" + i, i);
                }
                h.execute("INSERT INTO sync_run_change (run_id, target, record_key, action, outcome, detail) VALUES "
                        + "(1, 'moodle.user', 'P-1', 'CREATE', 'OK', 'line\nbreak')");
                h.execute("INSERT INTO qrtz_job_details (sched_name, job_name, job_group, description, job_class_name, is_durable, "
                        + "is_nonconcurrent, is_update_data, requests_recovery, job_data) VALUES ('qatysu', 'nightly', 'sync', "
                        + "null, 'kz.qatysu.sync.Job', true, true, false, true, '\\x00ff10'::bytea)");
            });
            before = rows(db);
        }
        Map<String, String> env = Map.of("QATYSU_DATA_DIR", original.toString());
        Path backup = tmp.resolve("sync-backup");
        Result b = run(env, "backup", "--app", "sync", "--to", backup.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("backup of sync written to " + backup);

        Path restored = tmp.resolve("restored");
        Result r = run(env, "restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("restored the sync backup");
        try (Database db = Database.open("sync", EMBEDDED, restored)) {
            assertThat(rows(db)).isEqualTo(before);
            // the run ids go on after the restored ones
            long next = db.jdbi().withHandle(h -> h.createQuery("INSERT INTO sync_run (job, started_at, status, dry_run, forced) "
                    + "VALUES ('nightly', now(), 'RUNNING', false, false) RETURNING id").mapTo(Long.class).one());
            assertThat(next).isEqualTo(2);
        }

        Result again = run(env, "restore", "--from", backup.toString(), "--data-dir", restored.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains(restored.resolve("postgres").resolve("sync").toString(), "already exists");
    }

    @Test
    void with_the_tool_running_the_command_asks_it_for_the_backup_through_the_admin_api(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        Map<String, String> env = Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_ADMIN_TOKEN", RunningTool.ADMIN_TOKEN);
        try (RunningTool tool = RunningTool.onDataDir(dataDir, env)) {
            Result direct = run(env, "backup", "--to", tmp.resolve("elsewhere").toString());
            assertThat(direct.code()).isEqualTo(2);
            assertThat(direct.err()).contains("the tool is running", "backup.dir");

            Result r = run(env, "backup", "--no-keys", "--url", tool.baseUrl());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"keysIncluded\" : false", dataDir.resolve("backups").toString());
            try (Stream<Path> s = Files.list(dataDir.resolve("backups"))) {
                Path folder = s.findFirst().orElseThrow();
                assertThat(folder.resolve("manifest.json")).exists();
                assertThat(folder.resolve("files/tool-key-encryption.key")).doesNotExist();
            }
        }
    }

    /** Every row of every table (the Flyway history and Quartz's included) as JSON, table by table. */
    static List<String> rows(Database db) {
        return db.jdbi().withHandle(h -> {
            List<String> tables = h.createQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
                    .mapTo(String.class).list();
            return tables.stream().map(t -> t + ": " + h.createQuery("SELECT coalesce(string_agg(x, ' | ' ORDER BY x), '') "
                    + "FROM (SELECT to_jsonb(r)::text AS x FROM \"" + t + "\" r) q").mapTo(String.class).one()).toList();
        });
    }

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
