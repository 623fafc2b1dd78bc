package kz.qatysu.sync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.support.Univ;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's timetable names the academic group of a seminar; the daemon sends it, and the real tool counts the
 * seminar only for that group's students — from the portal's CSV files to the standing, over real HTTP.
 */
class GroupTimetableAgainstRealToolTest {
    @TempDir
    static Path dataDir;
    static Path portal;
    static RunningTool tool;
    static Database syncDb;
    static SyncDaemonApp daemon;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        portal = Files.createDirectories(dataDir.resolve("portal"));
        Univ.write(portal, "persons.csv", """
                id;login;email;role;status;group;last_name_kk;first_name_kk
                P-1;s1;s1@univ.kz;student;active;ИС-24-1;Сұлтанбек;Әсел
                P-2;s2;s2@univ.kz;student;active;ИС-24-1;Нұрланов;Данияр
                P-3;s3;s3@univ.kz;student;active;ИС-24-2;Әбішева;Айгерім
                T-1;t1;t1@univ.kz;teacher;active;;Құнанбайұлы;Абай
                """);
        Univ.write(portal, "sections.csv", """
                code;discipline;title;term;term_start;term_end;faculty;teachers;hours;credits
                ALG-2026-1;ALG;Алгоритмдер;2026-1;2026-09-01;2026-12-25;IT;T-1;10;5
                """);
        Univ.write(portal, "enrolments.csv", """
                section;person;role
                ALG-2026-1;P-1;student
                ALG-2026-1;P-2;student
                ALG-2026-1;P-3;student
                """);
        StringBuilder timetable = new StringBuilder("id;section;start;end;kind;hours;room;online_url;cameras;group\n");
        for (int w = 1; w <= 4; w++) {
            int day = w * 7;
            timetable.append("ALG-W%d-LEC;ALG-2026-1;2026-09-%02d 08:00;2026-09-%02d 08:50;lecture;1;A-1;;no;\n".formatted(w, day, day));
            timetable.append("ALG-W%d-SEM1;ALG-2026-1;2026-09-%02d 10:00;2026-09-%02d 11:40;seminar;2;B-1;;no;ИС-24-1\n".formatted(w, day + 1, day + 1));
        }
        timetable.append("ALG-W1-SEM2;ALG-2026-1;2026-09-09 10:00;2026-09-09 11:40;seminar;2;B-2;;no;ИС-24-2\n");
        Univ.write(portal, "timetable.csv", timetable.toString());
        Univ.write(portal, "grades.csv", "section;person;item;score;max\n");

        tool = RunningTool.start();
        String token = tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC, Scope.STANDING_READ)).token();
        Map<String, String> env = new HashMap<>(Map.of(
                "QATYSU_DATA_DIR", dataDir.toString(),
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(),
                "QATYSU_SYNC_TOOL_TOKEN", token,
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", portal.toString(),
                "QATYSU_SYNC_PORTAL_SINK_FOLDER", dataDir.resolve("outbox").toString(),
                "QATYSU_SYNC_METRICS_PORT", "0"));
        ConfigProblems problems = new ConfigProblems();
        SyncSettings settings = SyncSettings.read(new ConfigReader(ConfigSource.load(Path.of("../config/sync-demo.yaml"), env), problems));
        assertThat(problems.list()).isEmpty();
        syncDb = TestPostgres.freshDatabase("sync");
        daemon = SyncDaemonApp.create(settings, syncDb, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (syncDb != null) {
            syncDb.close();
        }
        if (tool != null) {
            tool.close();
        }
    }

    static JsonNode standing() throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + "/api/v1/sections/ALG-2026-1/standing"))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
    }

    @Test
    void a_seminar_of_one_academic_group_reaches_the_tool_with_its_group_and_counts_for_that_group_only() throws Exception {
        SyncRunReport sections = daemon.runNow("sections", false, false);
        assertThat(sections.status()).as(sections.summary()).isEqualTo(RunStatus.SUCCEEDED);
        SyncRunReport timetable = daemon.runNow("timetable", false, false);
        assertThat(timetable.status()).as(timetable.summary()).isEqualTo(RunStatus.SUCCEEDED);

        Map<String, String> groups = new TreeMap<>();
        tool.database().jdbi().useHandle(h -> h.createQuery("""
                        SELECT session_id, coalesce(academic_group, '-') FROM class_session WHERE section_id = 'ALG-2026-1'""")
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> groups.put(e.getKey(), e.getValue())));
        assertThat(groups).containsEntry("ALG-W1-LEC", "-").containsEntry("ALG-W1-SEM1", "ИС-24-1")
                .containsEntry("ALG-W1-SEM2", "ИС-24-2").hasSize(9);

        Map<String, Integer> planned = new TreeMap<>();
        standing().forEach(r -> planned.put(r.path("personId").asText(), r.path("plannedHours").asInt()));
        // 4 lectures for everyone; ИС-24-1 has 4 two-hour seminars, ИС-24-2 one
        assertThat(planned).containsExactlyEntriesOf(new TreeMap<>(Map.of("P-1", 12, "P-2", 12, "P-3", 6)));

        // the portal moves a seminar to the other group: the next run sends it, and the tool recomputes
        Univ.write(portal, "timetable.csv", Files.readString(portal.resolve("timetable.csv"))
                .replace("ALG-W4-SEM1;ALG-2026-1;2026-09-29 10:00;2026-09-29 11:40;seminar;2;B-1;;no;ИС-24-1",
                        "ALG-W4-SEM1;ALG-2026-1;2026-09-29 10:00;2026-09-29 11:40;seminar;2;B-1;;no;ИС-24-2"));
        SyncRunReport again = daemon.runNow("timetable", false, false);
        assertThat(again.status()).as(again.summary()).isEqualTo(RunStatus.SUCCEEDED);
        planned.clear();
        standing().forEach(r -> planned.put(r.path("personId").asText(), r.path("plannedHours").asInt()));
        assertThat(planned).containsExactlyEntriesOf(new TreeMap<>(Map.of("P-1", 10, "P-2", 10, "P-3", 8)));

        // nothing changed in the portal: nothing is written to the tool
        assertThat(daemon.runNow("timetable", false, false).targets()).allSatisfy(t -> assertThat(t.applied()).isZero());
    }
}
