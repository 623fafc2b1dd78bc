package kz.qatysu.sync;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.GradeEntry;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.sync.grades.GradeDirection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyncSettingsTest {
    static final Map<String, String> SECRETS = Map.of(
            "QATYSU_SYNC_MOODLE_TOKEN", "moodle-token", "QATYSU_SYNC_OPENEDX_CLIENT_SECRET", "edx-secret",
            "QATYSU_SYNC_TOOL_TOKEN", "tool-token-0123456789", "QATYSU_SYNC_PORTAL_REST_TOKEN", "portal-key");

    static SyncSettings read(ConfigSource source, ConfigProblems problems) {
        return SyncSettings.read(new ConfigReader(source, problems));
    }

    @Test
    void the_documented_example_configuration_is_valid_and_binds_every_section() {
        var problems = new ConfigProblems();
        SyncSettings s = read(ConfigSource.load(Path.of("../config/sync-example.yaml"), SECRETS), problems);

        assertThat(problems.list()).isEmpty();
        assertThat(s.moodle()).hasValueSatisfying(m -> {
            assertThat(m.options().roleIds()).containsEntry(Enrolment.Role.TEACHER, 3);
            assertThat(m.options().category("ECON")).isEqualTo(7);
            assertThat(m.options().templateCourseId()).contains(42L);
            assertThat(m.http().responseTimeout()).isEqualTo(Duration.ofSeconds(120));
            assertThat(m.token().reveal()).isEqualTo("moodle-token");
        });
        assertThat(s.openEdx()).hasValueSatisfying(o -> assertThat(o.http().requestsPerSecond()).isEqualTo(1.5));
        assertThat(s.gradeDirections()).containsEntry(GradeEntry.Item.EXAM, GradeDirection.LMS_TO_PORTAL)
                .containsEntry(GradeEntry.Item.FINAL, GradeDirection.NONE);
        assertThat(s.gradeComponents()).containsExactlyInAnyOrderEntriesOf(Map.of(GradeEntry.Item.RK1, "RK1",
                GradeEntry.Item.MIDTERM, "MT", GradeEntry.Item.RK2, "RK2"));
        assertThat(s.suspendStatuses()).contains(Person.Status.ACADEMIC_LEAVE);
        assertThat(s.portal().csvFormat()).isEqualTo(kz.qatysu.connectors.portal.CsvPortalSource.Format.DEFAULT);
        assertThat(s.jobs().get("attendance").cron()).isEqualTo("0 30 * * * ?");
        assertThat(s.metricsPort()).isEqualTo(9464);
        assertThat(s.alertWebhook()).hasValueSatisfying(w -> assertThat(w.baseUrl()).hasToString("https://chat.univ.kz/hooks/qatysu-sync"));
        assertThat(s.toString()).doesNotContain("moodle-token").doesNotContain("edx-secret");
    }

    @Test
    void the_portal_csv_delimiter_and_encoding_are_set_per_source_and_bad_values_name_their_key() {
        var problems = new ConfigProblems();
        SyncSettings s = read(ConfigSource.of("sync: {portal: {csv: {folder: /srv/drop, delimiter: tab, encoding: windows-1251}}}", Map.of()), problems);

        assertThat(problems.list()).extracting(ConfigProblem::path).noneMatch(p -> p.startsWith("sync.portal"));
        assertThat(s.portal().csvFormat().delimiter()).contains('\t');
        assertThat(s.portal().csvFormat().charset()).isEqualTo(java.nio.charset.Charset.forName("windows-1251"));

        var bad = new ConfigProblems();
        read(ConfigSource.of("sync: {portal: {csv: {folder: /srv/drop, delimiter: '::', encoding: klingon-8}}}", Map.of()), bad);
        assertThat(bad.list()).extracting(ConfigProblem::path).contains("sync.portal.csv.delimiter", "sync.portal.csv.encoding");
    }

    @Test
    void every_problem_is_reported_at_once_naming_its_key() {
        var source = ConfigSource.of("""
                sync:
                  portal: {kind: ftp}
                  moodle: {url: "http://moodle.univ.kz", batchSize: 0}
                  jobs:
                    accounts: {cron: "every night"}
                  safety: {maxSuspendShare: 5}
                  grades: {items: {rk1: sideways}}
                """, Map.of());
        var problems = new ConfigProblems();

        read(source, problems);

        assertThat(problems.list()).extracting(ConfigProblem::path).contains(
                "sync.portal.kind", "sync.moodle.url", "sync.moodle.token", "sync.moodle.batchSize",
                "sync.jobs.accounts.cron", "sync.safety.maxSuspendShare", "sync.grades.items.rk1");
        assertThat(problems.list()).filteredOn(p -> p.path().equals("sync.moodle.url")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("not an https URL"));
    }

    @Test
    void each_item_feeds_the_tool_component_its_long_form_names_and_rk1_mt_rk2_by_default() {
        var source = ConfigSource.of("""
                sync:
                  tool: {url: "http://localhost:8080", token: t-0123456789abcdef}
                  grades:
                    items:
                      rk1: portal-to-lms
                      midterm: {direction: lms-to-portal, component: mt}
                      rk2: {direction: lms-to-portal, component: none}
                      final: {direction: lms-to-portal, component: ИТОГ}
                """, Map.of("QATYSU_SYNC_GRADES_ITEMS_EXAM_DIRECTION", "none"));
        var problems = new ConfigProblems();

        SyncSettings s = read(source, problems);

        assertThat(problems.list()).isEmpty();
        assertThat(s.gradeDirections()).containsEntry(GradeEntry.Item.RK1, GradeDirection.PORTAL_TO_LMS)
                .containsEntry(GradeEntry.Item.MIDTERM, GradeDirection.LMS_TO_PORTAL).containsEntry(GradeEntry.Item.RK2, GradeDirection.LMS_TO_PORTAL)
                .containsEntry(GradeEntry.Item.EXAM, GradeDirection.NONE).containsEntry(GradeEntry.Item.FINAL, GradeDirection.LMS_TO_PORTAL);
        assertThat(s.gradeComponents()).containsExactlyInAnyOrderEntriesOf(Map.of(GradeEntry.Item.RK1, "RK1",
                GradeEntry.Item.MIDTERM, "MT", GradeEntry.Item.FINAL, "ИТОГ"));
    }

    @Test
    void a_bad_doubled_contradicting_or_sourceless_component_is_reported_naming_its_key() {
        var source = ConfigSource.of("""
                sync:
                  tool: {url: "http://localhost:8080", token: t-0123456789abcdef}
                  grades:
                    items:
                      rk1: {component: "R K1"}
                      midterm: {component: RK2}
                      rk2: portal-to-lms
                      exam: {direction: none, component: EXAM}
                      final: lms-to-portal
                """, Map.of("QATYSU_SYNC_GRADES_ITEMS_FINAL_DIRECTION", "portal-to-lms"));
        var problems = new ConfigProblems();

        SyncSettings s = read(source, problems);

        assertThat(problems.list()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("sync.grades.items.rk1.component",
                "sync.grades.items.rk2.component", "sync.grades.items.exam.component", "sync.grades.items.final.direction");
        assertThat(problems.list()).filteredOn(p -> p.path().equals("sync.grades.items.rk1.component")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("'R K1'"));
        assertThat(problems.list()).filteredOn(p -> p.path().equals("sync.grades.items.rk2.component")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("already fed by sync.grades.items.midterm.component"));
        assertThat(problems.list()).filteredOn(p -> p.path().equals("sync.grades.items.exam.component")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("not synced"));
        assertThat(s.gradeComponents()).doesNotContainKeys(GradeEntry.Item.RK1, GradeEntry.Item.EXAM);
    }

    @Test
    void environment_variables_configure_the_daemon_without_a_file() {
        var env = Map.of("QATYSU_SYNC_TOOL_URL", "http://localhost:8080", "QATYSU_SYNC_TOOL_TOKEN", "t-0123456789abcdef",
                "QATYSU_SYNC_PORTAL_CSV_FOLDER", "/srv/drop", "QATYSU_SYNC_JOBS_SECTIONS_CRON", "0 15 2 * * ?",
                "QATYSU_SYNC_MOODLE_CATEGORIES", "IT=5,ECON=7");
        var problems = new ConfigProblems();

        SyncSettings s = read(ConfigSource.of("", env), problems);

        assertThat(problems.list()).extracting(ConfigProblem::path).containsOnly("sync.moodle.url", "sync.moodle.token");
        assertThat(s.tool()).isPresent();
        assertThat(s.portal().csvFolder()).isEqualTo(Path.of("/srv/drop"));
        assertThat(s.jobs().get("sections").cron()).isEqualTo("0 15 2 * * ?");
    }

    @Test
    void the_demo_configuration_is_valid() {
        var problems = new ConfigProblems();
        SyncSettings s = read(ConfigSource.load(Path.of("../config/sync-demo.yaml"), Map.of("QATYSU_ADMIN_TOKEN", "demo-admin-token-0123")), problems);
        assertThat(problems.list()).isEmpty();
        assertThat(s.tool()).hasValueSatisfying(t -> assertThat(t.token().reveal()).isEqualTo("demo-admin-token-0123"));
        assertThat(s.jobs().get("accounts").enabled()).isFalse();
    }

    @Test
    void metrics_bind_to_loopback_unless_configured_and_a_host_name_is_refused_naming_the_key() {
        var problems = new ConfigProblems();
        assertThat(read(ConfigSource.of("", Map.of()), problems).metricsBind()).isEqualTo("127.0.0.1");
        assertThat(read(ConfigSource.of("", Map.of("QATYSU_SYNC_METRICS_BIND", "::")), problems).metricsBind()).isEqualTo("::");
        assertThat(problems.list()).extracting(ConfigProblem::path).doesNotContain("sync.metrics.bind");

        read(ConfigSource.of("sync: {metrics: {bind: metrics.univ.kz}}", Map.of()), problems);

        assertThat(problems.list()).filteredOn(p -> p.path().equals("sync.metrics.bind")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("not a literal IP address").contains("metrics.univ.kz"));
    }

    @Test
    void concurrency_defaults_to_four_toward_moodle_and_two_toward_open_edx_and_a_bad_value_names_its_key() {
        var problems = new ConfigProblems();
        SyncSettings s = read(ConfigSource.of("sync: {moodle: {url: 'https://moodle.univ.kz', token: t}, openedx: {url: 'https://edx.univ.kz',"
                + " clientId: c, clientSecret: x}}", Map.of()), problems);
        assertThat(problems.list()).isEmpty();
        assertThat(s.concurrency("moodle.enrolments")).isEqualTo(4);
        assertThat(s.concurrency("openedx.enrolments")).isEqualTo(2);
        assertThat(s.concurrency("qatysu.sections")).isEqualTo(1);
        assertThat(s.scheduler().checkinInterval()).isEqualTo(java.time.Duration.ofMillis(7500));
        assertThat(s.jobs().get(SyncSettings.RECONCILE)).isEqualTo(new SyncSettings.JobSchedule(true, "0 0 5 ? * SUN"));

        var bad = new ConfigProblems();
        read(ConfigSource.of("sync: {moodle: {url: 'https://moodle.univ.kz', token: t, concurrency: 0}, openedx: {url: 'https://edx.univ.kz',"
                + " clientId: c, clientSecret: x, concurrency: 11}, scheduler: {checkinInterval: 100ms}, jobs: {reconcile: {cron: weekly}}}",
                Map.of()), bad);
        assertThat(bad.list()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("sync.moodle.concurrency",
                "sync.openedx.concurrency", "sync.scheduler.checkinInterval", "sync.jobs.reconcile.cron");
    }
}
