package kz.qatysu.sync.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.connectors.qatysu.ToolModel;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncDaemonApp;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.SyncSettings;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.grades.ToolScoresTarget;
import kz.qatysu.sync.support.Univ;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grades job against the real tool over real HTTP: RK1 from the portal's CSV, MT and RK2 from a Moodle gradebook
 * answering like Moodle 4.5's {@code gradereport_user_get_grade_items} (an MT quiz, a manual RK2 item out of 50, the
 * course total), and the tool's admission decision that follows. The daemon uses a scoped token, as in production.
 */
class DaemonScoresAgainstRealToolTest {
    static final String SECTION = "CS000-2026-1";
    @TempDir
    static Path dataDir;
    static RunningTool tool;
    static FakeMoodle moodle = new FakeMoodle();
    static WireMockServer moodleServer;
    static Database syncDb;
    static SyncDaemonApp daemon;
    static Path drop;

    @BeforeAll
    static void start() throws Exception {
        tool = RunningTool.start();
        moodleServer = FakeMoodle.start(moodle);
        drop = Files.createDirectories(dataDir.resolve("portal-drop"));
        Univ.standard(drop, 5, 1);
        // P-0004 is a person of the portal but not enrolled in the section: the tool will refuse a score of theirs
        Univ.write(drop, "enrolments.csv", "section;person;role\n" + Stream.of("P-0000", "P-0001", "P-0002", "P-0003")
                .map(p -> SECTION + ";" + p + ";student\n").collect(Collectors.joining()));
        String token = tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC, Scope.STANDING_READ)).token();
        String yaml = """
                sync:
                  portal: {kind: csv, csv: {folder: "%s"}, sink: {kind: csv, folder: "%s"}}
                  moodle: {url: "%s", token: moodle-token-0123456789, retries: 1}
                  tool: {url: "%s", token: "%s"}
                  grades:
                    items:
                      rk1: portal-to-lms
                      midterm: {direction: lms-to-portal, component: MT}
                      rk2: lms-to-portal
                      exam: none
                """.formatted(drop, dataDir.resolve("outbox"), moodleServer.baseUrl(), tool.baseUrl(), token);
        ConfigProblems problems = new ConfigProblems();
        SyncSettings settings = SyncSettings.read(new ConfigReader(ConfigSource.of(yaml, Map.of("QATYSU_DATA_DIR", dataDir.toString())), problems));
        assertThat(problems.list()).isEmpty();
        syncDb = TestPostgres.freshDatabase("sync");
        daemon = SyncDaemonApp.create(settings, syncDb, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        daemon.close();
        syncDb.close();
        moodleServer.stop();
        tool.close();
    }

    static long moodleUser(String idnumber) {
        return moodle.users.values().stream().filter(u -> idnumber.equals(u.get("idnumber"))).mapToLong(u -> (Long) u.get("id")).findFirst().orElseThrow();
    }

    static ToolModel.Admission admission(List<ToolModel.Admission> rows, String person) {
        return rows.stream().filter(a -> a.personId().equals(person)).findFirst().orElseThrow();
    }

    static String points(ToolModel.Admission a, String component) {
        return a.rating().components().stream().filter(c -> c.component().equals(component)).findFirst()
                .map(c -> c.points() == null ? "-" : c.points().stripTrailingZeros().toPlainString() + "/" + c.max().stripTrailingZeros().toPlainString())
                .orElse("-");
    }

    @Test
    void rk1_from_the_portal_and_mt_rk2_from_the_moodle_gradebook_reach_the_tool_and_decide_the_admission() throws Exception {
        assertThat(daemon.runNow("accounts", false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        SyncRunReport sections = daemon.runNow("sections", false, false);
        assertThat(sections.status()).as(sections.summary()).isEqualTo(RunStatus.SUCCEEDED);

        // the teacher's gradebook: the RK1 assignment the portal fills, an MT quiz, a manual RK2 item out of 50
        long course = moodle.courses.values().stream().filter(c -> SECTION.equals(c.get("idnumber"))).mapToLong(c -> (Long) c.get("id"))
                .findFirst().orElseThrow();
        long rk1 = moodle.addGradeItem(course, "RK1", "assign");
        long mt = moodle.addGradeItem(course, "MT", "quiz");
        long rk2 = moodle.addManualGradeItem(course, "RK2", 50);
        moodle.grade(mt, moodleUser("P-0000"), 73.5);
        moodle.grade(rk2, moodleUser("P-0000"), 45);
        moodle.grade(rk2, moodleUser("P-0001"), 20.25);
        Univ.write(drop, "grades.csv", "section;person;item;score;max\n"
                + SECTION + ";P-0000;rk1;90;100\n" + SECTION + ";P-0001;РК1;8;20\n" + SECTION + ";P-0004;rk1;70;100\n");

        SyncRunReport first = daemon.runNow("grades", false, false);

        // P-0004 is refused by the tool by record and field; every other score is stored
        assertThat(first.status()).as(first.summary()).isEqualTo(RunStatus.PARTIAL);
        assertThat(first.failures()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo(ToolScoresTarget.NAME);
            assertThat(f.key()).isEqualTo(SECTION + "/P-0004/RK1");
            assertThat(f.error()).contains("the tool refused the RK1 score of P-0004").contains("personId");
        });
        ToolClient admin = new ToolClient(new HttpConnector(HttpSettings.defaults("tool", URI.create(tool.baseUrl())).withRateLimit(0)),
                new Secret(RunningTool.ADMIN_TOKEN));
        List<ToolModel.Admission> rows = admin.admission(SECTION);
        ToolModel.Admission p0 = admission(rows, "P-0000");
        assertThat(points(p0, "RK1")).isEqualTo("90/100");
        assertThat(points(p0, "MT")).isEqualTo("73.5/100");
        assertThat(points(p0, "RK2")).isIn("45/50", "90/100");
        assertThat(p0.rating().missing()).isEmpty();
        // 90 + 73.5 + 90 = 253.5 of 300
        assertThat(p0.rating().points()).isEqualByComparingTo("253.5");
        assertThat(p0.admitted()).isTrue();
        ToolModel.Admission p1 = admission(rows, "P-0001");
        assertThat(p1.rating().missing()).containsExactly("MT");
        assertThat(p1.rating().points()).isEqualByComparingTo("80.5");
        assertThat(p1.admitted()).isFalse();
        assertThat(p1.reasons()).contains("RATING_BELOW_THRESHOLD");
        // the portal's RK1 also went into the Moodle activity, and the gradebook's MT and RK2 into the portal's journal
        assertThat(moodle.grades.get(rk1)).containsEntry(moodleUser("P-0000"), 90.0).containsEntry(moodleUser("P-0001"), 40.0);
        String journal;
        try (Stream<Path> files = Files.walk(dataDir.resolve("outbox"))) {
            journal = files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        assertThat(journal).contains(SECTION + ";P-0000;MIDTERM;73.50;100.00;C+").contains(SECTION + ";P-0001;RK2;20.25;50.00;FX");

        // the portal drops the stranger's row: nothing left to write to the tool
        Univ.write(drop, "grades.csv", "section;person;item;score;max\n" + SECTION + ";P-0000;rk1;90;100\n" + SECTION + ";P-0001;РК1;8;20\n");
        SyncRunReport second = daemon.runNow("grades", false, false);
        assertThat(second.status()).as(second.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.targets()).allSatisfy(t -> assertThat(t.applied()).as(t.target()).isZero());

        // a teacher corrects MT in Moodle: only that score travels, and the decision follows
        moodle.grade(mt, moodleUser("P-0001"), 70);
        SyncRunReport third = daemon.runNow("grades", false, false);
        assertThat(third.status()).as(third.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(third.targets()).filteredOn(t -> t.target().equals(ToolScoresTarget.NAME)).singleElement()
                .satisfies(t -> assertThat(t.create() + t.update()).isEqualTo(1));
        ToolModel.Admission p1After = admission(admin.admission(SECTION), "P-0001");
        assertThat(p1After.rating().points()).isEqualByComparingTo("150.5");
        assertThat(p1After.admitted()).isTrue();

        assertThat(daemon.runNow("grades", false, false).targets()).allSatisfy(t -> assertThat(t.applied()).as(t.target()).isZero());
    }
}
