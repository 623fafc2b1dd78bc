package kz.qatysu.sync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon and the real tool over real HTTP: the portal's timetable becomes the tool's sessions, and the standing
 * the tool computes from marks comes back to the portal's outbox. The daemon uses a scoped token, as in production.
 */
class DaemonAgainstRealToolTest {
    @TempDir
    static Path dataDir;
    static RunningTool tool;
    static Database syncDb;
    static SyncDaemonApp daemon;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        String token = tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC, Scope.STANDING_READ)).token();
        Map<String, String> env = new HashMap<>(Map.of(
                "QATYSU_DATA_DIR", dataDir.toString(),
                "QATYSU_SYNC_TOOL_URL", tool.baseUrl(),
                "QATYSU_SYNC_TOOL_TOKEN", token,
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", Path.of("../config/demo-university").toAbsolutePath().toString(),
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
        daemon.close();
        syncDb.close();
        tool.close();
    }

    static HttpResponse<String> api(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(tool.baseUrl() + path))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void the_timetable_becomes_sessions_and_the_standing_comes_back_to_the_portal() throws Exception {
        SyncRunReport sections = daemon.runNow("sections", false, false);
        SyncRunReport timetable = daemon.runNow("timetable", false, false);
        assertThat(sections.status()).as(sections.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(timetable.status()).as(timetable.summary()).isEqualTo(RunStatus.SUCCEEDED);

        // the tool now has the section, its six students and 30 planned hours (15 weeks × 2 one-hour classes)
        JsonNode standing = json.readTree(api("GET", "/api/v1/sections/CS101-2026F/standing", null).body());
        assertThat(standing).hasSize(6);
        assertThat(standing.get(0).get("plannedHours").asInt()).isEqualTo(30);
        // each student's academic group came along from the portal person (P-1001 is in ВТ-24-1); teachers have none
        Map<String, String> groups = tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT person_id, coalesce(academic_group, '-') FROM enrolment WHERE section_id = 'CS101-2026F'""")
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(groups).containsExactlyInAnyOrderEntriesOf(Map.of("P-1001", "ВТ-24-1", "P-1002", "ВТ-24-1", "P-1003", "ВТ-24-1",
                "P-1004", "ВТ-24-1", "P-1005", "ВТ-24-1", "P-1006", "ВТ-24-1", "T-7", "-", "T-8", "-"));

        // teachers mark P-1001 absent ten times: 10 of 30 hours > 30 % → LOCKED in the tool
        for (int w = 1; w <= 5; w++) {
            for (String kind : new String[]{"LEC", "SEM"}) {
                String id = String.format("CS101-W%02d-%s", w, kind);
                assertThat(api("PUT", "/api/v1/sessions/" + id + "/marks", "[{\"personId\":\"P-1001\",\"status\":\"ABSENT\"}]").statusCode())
                        .isEqualTo(200);
            }
        }
        JsonNode p1001 = Stream.of(json.readTree(api("GET", "/api/v1/sections/CS101-2026F/standing", null).body()))
                .flatMap(n -> java.util.stream.StreamSupport.stream(n.spliterator(), false))
                .filter(n -> n.get("personId").asText().equals("P-1001")).findFirst().orElseThrow();
        assertThat(p1001.get("state").asText()).isEqualTo("LOCKED");

        SyncRunReport back = daemon.runNow("attendance", false, false);
        assertThat(back.status()).as(back.summary()).isIn(RunStatus.SUCCEEDED);
        String outbox;
        try (Stream<Path> files = Files.walk(dataDir.resolve("outbox"))) {
            outbox = files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f, StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        assertThat(outbox).contains("CS101-2026F").contains("P-1001").contains("LOCKED");

        // a second run of each job with no change in the portal writes nothing to the tool
        assertThat(daemon.runNow("timetable", false, false).targets()).allSatisfy(t -> assertThat(t.applied()).isZero());
        assertThat(daemon.runNow("sections", false, false).targets()).allSatisfy(t -> assertThat(t.applied()).isZero());
    }
}
