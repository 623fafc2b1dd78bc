package kz.qatysu.sync.grades;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.portal.CsvOutboxSink;
import kz.qatysu.connectors.portal.GradeEntry.Item;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.support.FakeToolScores;
import kz.qatysu.sync.support.Fixture;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static org.assertj.core.api.Assertions.assertThat;

/** The grades job's tool target against a tool shaped like qatysu-api.md ("Assessment scores and exam admission"). */
class ToolScoresTargetTest {
    static final Map<Item, String> COMPONENTS = Map.of(Item.RK1, "RK1", Item.MIDTERM, "MT", Item.RK2, "RK2");
    @TempDir
    Path drop;
    @TempDir
    Path outbox;
    Fixture f;
    FakeToolScores tool = new FakeToolScores();
    WireMockServer toolServer;

    @BeforeEach
    void setUp() {
        f = new Fixture(drop);
        f.toolServer.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
        toolServer = FakeToolScores.start(tool);
        Univ.standard(drop, 4, 2);
        f.runner.run(f.accounts(), false, false);
        f.runner.run(f.sections(), false, false);
    }

    @AfterEach
    void tearDown() {
        toolServer.stop();
        f.close();
    }

    ToolClient client(String token) {
        return new ToolClient(new HttpConnector(HttpSettings.defaults("tool", URI.create(toolServer.baseUrl()))
                .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10)).withRateLimit(0)), new Secret(token));
    }

    GradesJob job(Map<Item, GradeDirection> directions, String token) {
        return new GradesJob(f.portal, directions, Optional.of(f.moodle), Optional.empty(),
                Optional.of(new PortalJournalTarget(new CsvOutboxSink(outbox, Clock.systemUTC()))), Optional.empty(),
                Optional.of(new GradesJob.ToTool(new ToolScoresTarget(client(token)), COMPONENTS)));
    }

    GradesJob fromPortal() {
        return job(Map.of(Item.RK1, GradeDirection.PORTAL_TO_LMS, Item.MIDTERM, GradeDirection.PORTAL_TO_LMS,
                Item.RK2, GradeDirection.PORTAL_TO_LMS), FakeToolScores.TOKEN);
    }

    static String grades(String... rows) {
        return "section;person;item;score;max\n" + String.join("\n", rows) + "\n";
    }

    @Test
    void portal_scores_reach_the_tool_one_put_per_section_and_an_unchanged_rerun_writes_nothing() {
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;87,5;100", "CS000-2026-1;P-0002;РК1;18;20",
                "CS000-2026-1;P-0001;midterm;40;50", "CS001-2026-1;P-0003;rk2;91;100", "CS001-2026-1;P-0003;exam;77;100"));

        SyncRunReport r = f.runner.run(fromPortal(), false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tool.all()).containsExactly("CS000-2026-1/P-0001/MT=40/50", "CS000-2026-1/P-0001/RK1=87.5/100",
                "CS000-2026-1/P-0002/RK1=18/20", "CS001-2026-1/P-0003/RK2=91/100");
        assertThat(tool.puts.get()).isEqualTo(2);
        assertThat(r.targets()).filteredOn(t -> t.target().equals(ToolScoresTarget.NAME)).singleElement()
                .satisfies(t -> assertThat(t.create()).isEqualTo(4));

        SyncRunReport again = f.runner.run(fromPortal(), false, false);

        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tool.puts.get()).isEqualTo(2);
        assertThat(again.targets()).allSatisfy(t -> assertThat(t.applied()).isZero());
    }

    @Test
    void a_dry_run_plans_the_scores_and_writes_nothing() {
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;87,5;100"));

        SyncRunReport r = f.runner.run(fromPortal(), true, false);

        assertThat(r.status()).isEqualTo(RunStatus.DRY_RUN);
        assertThat(r.targets()).filteredOn(t -> t.target().equals(ToolScoresTarget.NAME)).singleElement()
                .satisfies(t -> assertThat(t.create()).isEqualTo(1));
        assertThat(tool.puts.get()).isZero();
        assertThat(f.runner.run(fromPortal(), false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tool.all()).containsExactly("CS000-2026-1/P-0001/RK1=87.5/100");
    }

    @Test
    void a_score_the_tool_refuses_fails_alone_naming_its_field_and_the_rest_of_its_section_is_stored() {
        tool.notEnrolled.add("P-0002");
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;80;100", "CS000-2026-1;P-0002;rk1;70;100",
                "CS000-2026-1;P-0003;rk1;60;100"));

        SyncRunReport r = f.runner.run(fromPortal(), false, false);

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.failures()).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("CS000-2026-1/P-0002/RK1");
            assertThat(x.error()).contains("the tool refused the RK1 score of P-0002 in CS000-2026-1")
                    .contains("personId: not a student of section CS000-2026-1");
        });
        assertThat(tool.all()).containsExactly("CS000-2026-1/P-0001/RK1=80/100", "CS000-2026-1/P-0003/RK1=60/100");

        // once the tool takes the student, the next run sends that record only
        tool.notEnrolled.clear();
        int puts = tool.puts.get();
        assertThat(f.runner.run(fromPortal(), false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tool.puts.get()).isEqualTo(puts + 1);
        assertThat(tool.score("CS000-2026-1", "P-0002", "RK1")).isEqualTo("70/100");
    }

    @Test
    void a_score_gone_from_the_portal_is_removed_from_the_tool_and_a_changed_one_updated() {
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;80;100", "CS000-2026-1;P-0002;rk1;70;100"));
        f.runner.run(fromPortal(), false, false);
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;85;100"));

        SyncRunReport r = f.runner.run(fromPortal(), false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.targets()).filteredOn(t -> t.target().equals(ToolScoresTarget.NAME)).singleElement()
                .satisfies(t -> assertThat(t.update() + t.suspend()).isEqualTo(2));
        assertThat(tool.all()).containsExactly("CS000-2026-1/P-0001/RK1=85/100");
    }

    @Test
    void the_safety_valve_refuses_to_remove_most_scores_of_a_truncated_export() {
        StringBuilder all = new StringBuilder();
        for (int section = 0; section < 2; section++) {
            for (int p = 0; p < 4; p++) {
                for (String item : new String[]{"rk1", "midterm", "rk2"}) {
                    all.append("CS00%d-2026-1;P-%04d;%s;%d;100\n".formatted(section, p, item, 50 + p));
                }
            }
        }
        Univ.write(drop, "grades.csv", "section;person;item;score;max\n" + all);
        assertThat(f.runner.run(fromPortal(), false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tool.all()).hasSize(24);
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0000;rk1;50;100"));

        SyncRunReport r = f.runner.run(fromPortal(), false, false);

        assertThat(r.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(tool.all()).hasSize(24);
    }

    @Test
    void a_token_the_tool_refuses_stops_the_run() {
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;80;100"));

        SyncRunReport r = f.runner.run(job(Map.of(Item.RK1, GradeDirection.PORTAL_TO_LMS), "wrong-token-0123456789"), false, false);

        assertThat(r.status()).isEqualTo(RunStatus.TARGET_FAILED);
        assertThat(r.message()).contains("qatysu.scores stopped the run").contains("sync.tool.token");
        assertThat(tool.all()).isEmpty();
    }

    @Test
    void midterm_and_rk2_come_from_a_moodle_45_gradebook_whose_midterm_item_is_named_mt() throws Exception {
        long course = f.moodleCourseId("CS000-2026-1");
        long mt = f.fake.addGradeItem(course, "MT", "quiz");
        long rk2 = f.fake.addManualGradeItem(course, "RK2", 50);
        f.fake.grade(mt, f.moodleUserId("P-0001"), 73.5);
        f.fake.grade(rk2, f.moodleUserId("P-0001"), 45);
        f.fake.grade(rk2, f.moodleUserId("P-0002"), 20.25);
        Univ.write(drop, "grades.csv", grades("CS000-2026-1;P-0001;rk1;90;100", "CS000-2026-1;P-0001;rk2;1;100"));
        GradesJob job = job(Map.of(Item.RK1, GradeDirection.PORTAL_TO_LMS, Item.MIDTERM, GradeDirection.LMS_TO_PORTAL,
                Item.RK2, GradeDirection.LMS_TO_PORTAL), FakeToolScores.TOKEN);

        SyncRunReport r = f.runner.run(job, false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tool.all()).containsExactly("CS000-2026-1/P-0001/MT=73.5/100", "CS000-2026-1/P-0001/RK1=90/100",
                "CS000-2026-1/P-0001/RK2=45/50", "CS000-2026-1/P-0002/RK2=20.25/50");
        try (var files = Files.list(outbox)) {
            String csv = Files.readString(files.filter(p -> p.getFileName().toString().startsWith("grades-")).findFirst().orElseThrow());
            assertThat(csv).contains("CS000-2026-1;P-0001;MIDTERM;73.50;100.00;C+").contains("CS000-2026-1;P-0001;RK2;45.00;50.00;A-");
        }
        assertThat(f.runner.run(job, false, false).targets()).allSatisfy(t -> assertThat(t.applied()).isZero());
    }
}
