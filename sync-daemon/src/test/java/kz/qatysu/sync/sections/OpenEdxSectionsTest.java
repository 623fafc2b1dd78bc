package kz.qatysu.sync.sections;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.portal.CsvPortalSource;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.accounts.AccountRules;
import kz.qatysu.sync.accounts.AccountsJob;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.engine.SafetyLimits;
import kz.qatysu.sync.engine.SyncRunner;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Sections into Open edX: cohorts per academic group, bulk enrolment, and who has no account yet. */
class OpenEdxSectionsTest {
    static final String COURSE = "course-v1:KazNU+CS101+2026_T1";
    static final String COURSE_PATH = "course-v1%3AKazNU%2BCS101%2B2026_T1";

    @TempDir
    Path drop;
    WireMockServer lms;
    Database db;
    SyncRunner runner;
    OpenEdxClient edx;

    @BeforeEach
    void setUp() {
        lms = new WireMockServer(options().dynamicPort());
        lms.start();
        lms.stubFor(post("/oauth2/access_token").willReturn(okJson("{\"access_token\":\"jwt-1\",\"expires_in\":3600,\"token_type\":\"JWT\"}")));
        db = TestPostgres.freshDatabase("sync");
        runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { });
        edx = new OpenEdxClient(new HttpConnector(HttpSettings.defaults("openedx", URI.create(lms.baseUrl())).withRateLimit(0)),
                "sync", new Secret("s"), Clock.systemUTC());
        Univ.write(drop, "persons.csv", "id;login;email;group;last_name_kk;first_name_kk\n"
                + "P-1;20b030123;a@kaznu.kz;CS-21-1;Әлиев;Ерлан\nP-2;20b030124;b@kaznu.kz;CS-21-1;Серікова;Әсем\n");
        Univ.write(drop, "sections.csv", "code;discipline;term;term_start;term_end;openedx_course\n"
                + "CS101-2026-1;CS101;2026-1;2026-09-01;2026-12-25;" + COURSE + "\n");
        Univ.write(drop, "enrolments.csv", "section;person;role\nCS101-2026-1;P-1;student\nCS101-2026-1;P-2;student\n");
    }

    @AfterEach
    void tearDown() {
        lms.stop();
        db.close();
    }

    @Test
    void academic_groups_become_cohorts_and_students_are_bulk_enrolled_even_before_their_first_sign_in() {
        lms.stubFor(get("/api/cohorts/v1/settings/" + COURSE_PATH).willReturn(okJson("{\"id\":1,\"is_cohorted\":false}")));
        lms.stubFor(put("/api/cohorts/v1/settings/" + COURSE_PATH).willReturn(okJson("{\"id\":1,\"is_cohorted\":true}")));
        lms.stubFor(get(urlPathEqualTo("/api/cohorts/v1/courses/" + COURSE_PATH + "/cohorts/"))
                .willReturn(okJson("{\"count\":0,\"num_pages\":1,\"next\":null,\"previous\":null,\"results\":[]}")));
        lms.stubFor(post("/api/cohorts/v1/courses/" + COURSE_PATH + "/cohorts/")
                .willReturn(okJson("{\"name\":\"CS-21-1\",\"id\":4,\"user_count\":0,\"assignment_type\":\"manual\",\"group_id\":null,\"user_partition_id\":null}")));
        lms.stubFor(post("/api/bulk_enroll/v1/bulk_enroll/").willReturn(okJson("""
                {"action":"enroll","auto_enroll":true,"email_students":false,"courses":{"%s":{"action":"enroll","auto_enroll":true,"results":[
                  {"identifier":"20b030123","before":{"enrollment":false,"auto_enroll":false,"user":true,"allowed":false},"after":{"enrollment":true,"auto_enroll":false,"user":true,"allowed":false,"cohort":"CS-21-1"}},
                  {"identifier":"20b030124","before":{"enrollment":false,"auto_enroll":false,"user":false,"allowed":false},"after":{"enrollment":false,"auto_enroll":true,"user":false,"allowed":true}}]}}}"""
                .formatted(COURSE))));
        lms.stubFor(get(urlPathEqualTo("/api/user/v1/accounts")).willReturn(okJson("[{\"username\":\"20b030123\",\"email\":\"a@kaznu.kz\",\"is_active\":true}]")));
        var portal = new PortalReader(new CsvPortalSource(drop), ZoneId.of("Asia/Almaty"));
        var accountRules = new AccountRules(Person.Script.KK, Set.of(Person.Status.EXPELLED), "oauth2", null);
        var sections = new SectionsJob(portal, new SectionRules(ZoneId.of("Asia/Almaty")), accountRules, Optional.empty(),
                Optional.of(new SectionsJob.OpenEdxTargets(new OpenEdxCohortsTarget(edx), new OpenEdxEnrolmentsTarget(edx, runner.ledger()))),
                Optional.empty());
        var accounts = new AccountsJob(portal, accountRules, Optional.empty(), Optional.of(edx));

        SyncRunReport a = runner.run(accounts, false, false);
        SyncRunReport r = runner.run(sections, false, false);

        assertThat(a.notes().values()).singleElement().isEqualTo(List.of("P-2 20b030124 <b@kaznu.kz>"));
        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        lms.verify(putRequestedFor(urlEqualTo("/api/cohorts/v1/settings/" + COURSE_PATH)).withRequestBody(equalToJson("{\"is_cohorted\":true}")));
        lms.verify(postRequestedFor(urlEqualTo("/api/cohorts/v1/courses/" + COURSE_PATH + "/cohorts/"))
                .withRequestBody(equalToJson("{\"name\":\"CS-21-1\",\"assignment_type\":\"manual\"}")));
        lms.verify(postRequestedFor(urlEqualTo("/api/bulk_enroll/v1/bulk_enroll/")).withRequestBody(equalToJson(
                "{\"identifiers\":\"20b030123,20b030124\",\"courses\":\"" + COURSE + "\",\"cohorts\":\"CS-21-1\",\"action\":\"enroll\",\"auto_enroll\":true,\"email_students\":false}")));
        assertThat(r.notes()).containsEntry("Open edX: pre-enrolled without an account yet (applies at first sign-in)",
                List.of(COURSE + " 20b030124"));
        int calls = lms.getAllServeEvents().size();

        SyncRunReport again = runner.run(sections, false, false);
        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(lms.getAllServeEvents()).as("no call at all when nothing changed").hasSize(calls);
    }
}
