package kz.qatysu.tool.backup;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.database.backup.BackupManifest;
import kz.qatysu.database.backup.BackupRefused;
import kz.qatysu.database.backup.Backups;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.review.ProctoredAttempts;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static kz.qatysu.tool.excuses.DeansFixture.csrf;
import static kz.qatysu.tool.excuses.DeansFixture.form;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backup and restore of the tool as production runs it (its own embedded PostgreSQL in the data directory, real
 * HTTP): marks in three sections, an excuse with its document, a proctored attempt with snapshots and a recording in
 * the encrypted media store → a backup through the admin API while a writer keeps marking → a restore into another
 * data directory → a tool started there serves every mark of the snapshot, the document and the recording.
 */
class BackupRestoreTest {
    static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final String WRITTEN_DURING = "BAK301-2025";

    static Path root;
    static DeansFixture f;
    static Exam exam;
    static Attempt attempt;
    static long excuseId;
    static Path backup;
    static JsonNode answer;
    static List<String> ackedBeforeBackup;
    static List<String> writerOrder;

    @BeforeAll
    static void seedAndBackUpWhileMarking() throws Exception {
        root = Files.createTempDirectory("qatysu-backup");
        f = DeansFixture.startOnDataDir(root.resolve("original"), Map.of());
        section("BAK201-2025", "B2", List.of("P-2001", "P-2002", "P-2003"));
        section(WRITTEN_DURING, "B3", List.of("P-3001", "P-3002", "P-3003", "P-3004"));
        f.absent("P-1001", "S-1", "S-2", "S-3");
        f.absent("P-1002", "S-4");
        for (int i = 1; i <= 6; i++) {
            ok(f.api("PUT", "/api/v1/sessions/B2-" + i + "/marks", "[{\"personId\":\"P-2001\",\"status\":\"PRESENT\"},"
                    + "{\"personId\":\"P-2002\",\"status\":\"LATE\",\"lateMinutes\":" + (5 + i) + "},"
                    + "{\"personId\":\"P-2003\",\"status\":\"ABSENT\"}]", RunningTool.ADMIN_TOKEN));
        }
        var student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        var submitted = f.multipart(student.browser(), student.base() + "/excuses",
                form(csrf(page), "2026-09-03", "2026-09-03", List.of(), "Дәрігерде болдым"), "cert.pdf", PDF);
        assertThat(submitted.statusCode()).isEqualTo(303);
        excuseId = f.newestExcuse();
        ProctoredAttempts made = new ProctoredAttempts(f.tool.app(), f.tool.database().jdbi());
        exam = made.exam("EX-BACKUP", DeansFixture.SECTION);
        attempt = made.monitored(exam, "P-1002");

        // a writer keeps marking the third section, one student at a time, through the API
        writerOrder = new ArrayList<>();
        for (int s = 1; s <= 6; s++) {
            for (int p = 1; p <= 4; p++) {
                writerOrder.add("B3-" + s + "/P-300" + p);
            }
        }
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (String key : writerOrder) {
                if (stop.get()) {
                    return;
                }
                String[] sp = key.split("/");
                ok(f.api("PUT", "/api/v1/sessions/" + sp[0] + "/marks", "[{\"personId\":\"" + sp[1] + "\",\"status\":\"PRESENT\"}]",
                        RunningTool.ADMIN_TOKEN));
                acked.add(key);
            }
        }, "marking-writer");
        writer.start();
        while (acked.size() < 3) {
            Thread.sleep(10);
        }
        ackedBeforeBackup = List.copyOf(acked);
        HttpResponse<String> r = f.api("POST", "/api/v1/admin/backups", "", RunningTool.ADMIN_TOKEN);
        int ackedAfterBackup = acked.size();
        stop.set(true);
        writer.join();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        answer = ok(r);
        backup = Path.of(answer.path("folder").asText());
        assertThat(ackedAfterBackup).as("the writer was never held up for the whole backup").isGreaterThan(ackedBeforeBackup.size());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static void section(String id, String prefix, List<String> students) {
        ok(f.api("PUT", "/api/v1/sections/" + id, "{\"title\":\"" + id + "\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}",
                RunningTool.ADMIN_TOKEN));
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            sessions.add("{\"sessionId\":\"" + prefix + "-" + i + "\",\"start\":\"" + day + "T10:00:00+05:00\",\"end\":\"" + day
                    + "T10:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"B-1\",\"onlineUrl\":null}");
        }
        ok(f.api("PUT", "/api/v1/sections/" + id + "/sessions", "[" + String.join(",", sessions) + "]", RunningTool.ADMIN_TOKEN));
        ok(f.api("PUT", "/api/v1/sections/" + id + "/enrolments", "[" + String.join(",", students.stream()
                .map(p -> "{\"personId\":\"" + p + "\",\"role\":\"student\"}").toList()) + "]", RunningTool.ADMIN_TOKEN));
    }

    @Test
    void a_backup_taken_while_marking_restores_on_another_data_dir_with_every_mark_document_and_recording() throws Exception {
        assertThat(answer.path("keysIncluded").asBoolean()).isTrue();
        assertThat(backup).startsWith(root.resolve("original").resolve("backups"));
        BackupManifest manifest = Backups.verify(backup);
        assertThat(manifest.files()).extracting(BackupManifest.FileEntry::path)
                .contains("files/tool-key-encryption.key", "files/proctoring-media.key", "database/mark.copy.gz")
                .anyMatch(p -> p.startsWith("files/proctoring/media/excuses/"))
                .anyMatch(p -> p.startsWith("files/proctoring/media/"));

        Path restoredDir = root.resolve("restored");
        Backups.restore(backup, restoredDir);
        DeansFixture restored = DeansFixture.reopen(restoredDir, Map.of());
        try {
            // every mark of the snapshot: the source's rows as they are (the writer only adds rows) ...
            Map<String, String> source = marks(f);
            Map<String, String> copy = marks(restored);
            assertThat(source).containsAllEntriesOf(copy);
            assertThat(copy.keySet()).allMatch(k -> !k.startsWith("B3-") || writerOrder.contains(k));
            // ... all marks of the sections nobody wrote to during the backup ...
            source.forEach((k, v) -> {
                if (!k.startsWith("B3-")) {
                    assertThat(copy).containsEntry(k, v);
                }
            });
            // ... and of the writer's marks exactly a prefix of its order: one instant, no torn write
            List<String> writerInCopy = writerOrder.stream().filter(copy::containsKey).toList();
            assertThat(writerInCopy).isEqualTo(writerOrder.subList(0, writerInCopy.size()));
            assertThat(writerInCopy).containsAll(ackedBeforeBackup);
            assertThat(count(restored, "mark")).isEqualTo(manifest.database().tables().stream()
                    .filter(t -> t.name().equals("mark")).findFirst().orElseThrow().rows());

            // the excuse document, byte for byte, as the dean's office opens it
            Browser admin = restored.admin();
            HttpResponse<byte[]> doc = restored.bytes(admin, "/admin/excuses/" + excuseId + "/document");
            assertThat(doc.statusCode()).isEqualTo(200);
            assertThat(doc.body()).isEqualTo(PDF);

            // the recording and every snapshot / photo, decrypted through the review pages with the restored key
            String attemptPath = "/admin/proctoring/exams/" + exam.id() + "/attempts/" + attempt.id();
            HttpResponse<byte[]> recording = restored.bytes(admin, attemptPath + "/recording");
            assertThat(recording.statusCode()).isEqualTo(200);
            assertThat(recording.body()).isEqualTo(ProctoredAttempts.recordingBytes());
            Browser originalAdmin = f.admin();
            List<String> evidence = restored.tool.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT object_key FROM proctoring_media WHERE person_id = 'P-1002' AND kind <> 'recording_chunk' ORDER BY 1")
                    .mapTo(String.class).list());
            assertThat(evidence).hasSizeGreaterThanOrEqualTo(3);
            int served = 0;
            for (String key : evidence) {
                HttpResponse<byte[]> before = f.bytes(originalAdmin, attemptPath + "/media/" + key);
                HttpResponse<byte[]> after = restored.bytes(admin, attemptPath + "/media/" + key);
                assertThat(after.statusCode()).as(key).isEqualTo(before.statusCode());
                assertThat(after.body()).as(key).isEqualTo(before.body());
                served += after.statusCode() == 200 ? 1 : 0;
            }
            assertThat(served).isGreaterThanOrEqualTo(2);

            // the restored tool goes on: its sequences continue past the backed-up rows
            ok(restored.api("PUT", "/api/v1/sessions/B3-6/marks", "[{\"personId\":\"P-3004\",\"status\":\"ABSENT\"}]",
                    RunningTool.ADMIN_TOKEN));
            HttpResponse<String> again = restored.api("POST", "/api/v1/admin/backups", "{\"includeKeys\": false}", RunningTool.ADMIN_TOKEN);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            assertThat(ok(again).path("keysIncluded").asBoolean()).isFalse();
        } finally {
            restored.tool.close();
        }
    }

    @Test
    void a_damaged_file_in_the_backup_is_refused_by_name_and_nothing_is_restored() throws IOException {
        Path copy = root.resolve("damaged-backup");
        copyTree(backup, copy);
        Path media;
        try (Stream<Path> s = Files.walk(copy.resolve("files/proctoring/media"))) {
            media = s.filter(Files::isRegularFile).min(Comparator.naturalOrder()).orElseThrow();
        }
        byte[] b = Files.readAllBytes(media);
        b[b.length / 2] ^= 1;
        Files.write(media, b);
        Path target = root.resolve("never-restored");

        assertThatThrownBy(() -> Backups.restore(copy, target)).isInstanceOf(BackupRefused.class)
                .hasMessageContaining(media.toString()).hasMessageContaining("damaged");
        assertThat(target).doesNotExist();
    }

    @Test
    void a_restore_into_a_data_dir_that_holds_data_is_refused_naming_the_path() throws IOException {
        Path busy = root.resolve("busy");
        Files.createDirectories(busy.resolve("proctoring/media/excuses"));
        Files.writeString(busy.resolve("proctoring/media/excuses/old.pdf"), "old");

        assertThatThrownBy(() -> Backups.restore(backup, busy)).isInstanceOf(BackupRefused.class)
                .hasMessageContaining(busy.resolve("proctoring").toString());
        assertThat(busy.resolve("postgres")).doesNotExist();
        assertThat(busy.resolve("proctoring/media/excuses/old.pdf")).hasContent("old");
    }

    @Test
    void a_bad_backup_request_is_a_400_naming_the_field_and_writes_nothing() throws IOException {
        long before = folders(root.resolve("original/backups"));
        HttpResponse<String> r = f.api("POST", "/api/v1/admin/backups", "{\"includeKeys\": \"yes\"}", RunningTool.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("includeKeys");
        HttpResponse<String> unknown = f.api("POST", "/api/v1/admin/backups", "{\"to\": \"/etc\"}", RunningTool.ADMIN_TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"to\"");
        assertThat(folders(root.resolve("original/backups"))).isEqualTo(before);
    }

    static Map<String, String> marks(DeansFixture fixture) {
        Map<String, String> out = new LinkedHashMap<>();
        fixture.tool.database().jdbi().useHandle(h -> h.createQuery(
                        "SELECT session_id || '/' || person_id AS k, to_jsonb(m)::text AS v FROM mark m ORDER BY 1")
                .map((rs, ctx) -> Map.entry(rs.getString("k"), rs.getString("v"))).forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    static long count(DeansFixture fixture, String table) {
        return fixture.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    static long folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
