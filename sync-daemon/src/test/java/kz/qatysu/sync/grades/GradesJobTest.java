package kz.qatysu.sync.grades;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.portal.CsvOutboxSink;
import kz.qatysu.connectors.portal.GradeEntry;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
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
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class GradesJobTest {
    @TempDir
    Path drop;
    @TempDir
    Path outbox;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(drop);
        f.toolServer.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
        Univ.standard(drop, 4, 1);
        f.runner.run(f.accounts(), false, false);
        f.runner.run(f.sections(), false, false);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void portal_grades_go_into_the_moodle_activity_with_their_letter_and_lms_grades_come_back_to_the_journal() throws Exception {
        long course = f.moodleCourseId("CS000-2026-1");
        long rk1 = f.fake.addGradeItem(course, "RK1", "assign");
        long exam = f.fake.addGradeItem(course, "EXAM", "quiz");
        Univ.write(drop, "grades.csv", "section;person;item;score;max\nCS000-2026-1;P-0001;rk1;87,5;100\nCS000-2026-1;P-0002;РК1;18;20\n");
        f.fake.grades.computeIfAbsent(exam, k -> new java.util.concurrent.ConcurrentHashMap<>()).put(f.moodleUserId("P-0003"), 73.0);
        var job = new GradesJob(f.portal, Map.of(GradeEntry.Item.RK1, GradeDirection.PORTAL_TO_LMS, GradeEntry.Item.EXAM, GradeDirection.LMS_TO_PORTAL),
                Optional.of(f.moodle), Optional.of(new MoodleGradesTarget(f.moodle, f.runner.ledger())),
                Optional.of(new PortalJournalTarget(new CsvOutboxSink(outbox, Clock.systemUTC()))), Optional.empty(), Optional.empty());

        SyncRunReport r = f.runner.run(job, false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.grades.get(rk1)).containsEntry(f.moodleUserId("P-0001"), 87.5).containsEntry(f.moodleUserId("P-0002"), 90.0);
        try (var files = Files.list(outbox)) {
            String csv = Files.readString(files.filter(p -> p.getFileName().toString().startsWith("grades-")).findFirst().orElseThrow());
            assertThat(csv).contains("CS000-2026-1;P-0003;EXAM;73.00;100.00;C+");
        }
        long writes = f.fake.writeCalls();

        SyncRunReport again = f.runner.run(job, false, false);
        assertThat(f.fake.writeCalls()).isEqualTo(writes);
        assertThat(again.targets()).allSatisfy(t -> assertThat(t.create() + t.update()).isZero());
    }

    @Test
    void a_course_without_the_activity_is_reported_per_grade() {
        Univ.write(drop, "grades.csv", "section;person;item;score\nCS000-2026-1;P-0001;midterm;70\n");
        var job = new GradesJob(f.portal, Map.of(GradeEntry.Item.MIDTERM, GradeDirection.PORTAL_TO_LMS), Optional.of(f.moodle),
                Optional.of(new MoodleGradesTarget(f.moodle, f.runner.ledger())), Optional.empty(), Optional.empty(), Optional.empty());

        SyncRunReport r = f.runner.run(job, false, false);

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.failures()).singleElement().satisfies(x -> assertThat(x.error())
                .contains("no activity whose grade item ID number is 'MIDTERM'"));
    }

    @Test
    void open_edx_course_grades_come_back_as_the_final_grade_in_the_portal_journal() throws Exception {
        var lms = new WireMockServer(options().dynamicPort());
        lms.start();
        try {
            lms.stubFor(post("/oauth2/access_token").willReturn(
                    okJson("{\"access_token\":\"j\",\"expires_in\":3600,\"token_type\":\"JWT\"}")));
            lms.stubFor(get(urlPathEqualTo(
                    "/api/grades/v1/courses/course-v1%3AKazNU%2BCS000%2B2026/")).willReturn(okJson("""
                    {"next":null,"previous":null,"results":[
                      {"username":"s0001","email":"","course_id":"course-v1:KazNU+CS000+2026","passed":true,"percent":0.914,"letter_grade":"Pass"},
                      {"username":"auditor7","email":"","course_id":"course-v1:KazNU+CS000+2026","passed":false,"percent":0.2,"letter_grade":null}]}""")));
            Univ.write(drop, "sections.csv", "code;discipline;title;term;term_start;term_end;teachers;openedx_course\n"
                    + "CS000-2026-1;CS000;Бағдарламалау;2026-1;2026-09-01;2026-12-25;T-1;course-v1:KazNU+CS000+2026\n");
            var edx = new OpenEdxClient(new HttpConnector(
                    HttpSettings.defaults("openedx", URI.create(lms.baseUrl())).withRateLimit(0)),
                    "sync", new Secret("s"), Clock.systemUTC());
            var job = new GradesJob(f.portal, Map.of(GradeEntry.Item.FINAL, GradeDirection.LMS_TO_PORTAL), Optional.empty(), Optional.empty(),
                    Optional.of(new PortalJournalTarget(new CsvOutboxSink(outbox, Clock.systemUTC()))), Optional.of(edx), Optional.empty());

            SyncRunReport r = f.runner.run(job, false, false);

            assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
            try (var files = Files.list(outbox)) {
                String csv = Files.readString(files.filter(p -> p.getFileName().toString().startsWith("grades-")).findFirst().orElseThrow());
                assertThat(csv).contains("CS000-2026-1;P-0001;FINAL;91.40;100.00;A-").doesNotContain("auditor7");
            }
        } finally {
            lms.stop();
        }
    }
}
