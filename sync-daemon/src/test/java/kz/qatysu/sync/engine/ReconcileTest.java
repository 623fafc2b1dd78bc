package kz.qatysu.sync.engine;

import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.accounts.AccountsJob;
import kz.qatysu.sync.metrics.SyncMetrics;
import kz.qatysu.sync.sections.MoodleCoursesTarget;
import kz.qatysu.sync.sections.MoodleEnrolmentsTarget;
import kz.qatysu.sync.sections.MoodleGroupMembersTarget;
import kz.qatysu.sync.sections.MoodleGroupsTarget;
import kz.qatysu.sync.sections.SectionRules;
import kz.qatysu.sync.sections.SectionsJob;
import kz.qatysu.sync.support.Fixture;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation: a no-op night reads nothing from Moodle, so drift made by hand in Moodle is only seen when the
 * target is read back. A manual unenrolment, an account re-enabled although the portal says expelled, and a deleted
 * group are found, reported as drift and repaired through the ordinary planner; a dry run changes nothing; the
 * safety valve stops a reconciliation that would change too much; people are never deleted.
 */
class ReconcileTest {
    static final String SECTION = "CS000-2026-1";

    @TempDir
    Path drop;
    Fixture f;
    AccountsJob accounts;
    SectionsJob sections;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(drop);
        Univ.standard(drop, 30, 1); // groups ИС-21-1 (25 students) and ИС-21-2 (5)
        accounts = f.accounts();
        var ledger = f.runner.ledger();
        sections = new SectionsJob(f.portal, new SectionRules(Fixture.ALMATY), f.accountRules,
                Optional.of(new SectionsJob.MoodleTargets(new MoodleCoursesTarget(f.moodle, f.options), new MoodleEnrolmentsTarget(f.moodle, f.options, ledger),
                        new MoodleGroupsTarget(f.moodle, f.options, ledger), MoodleGroupMembersTarget.academicGroups(f.moodle, f.options, ledger), f.options)),
                Optional.empty(), Optional.empty());
        assertThat(f.runner.run(accounts, false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.runner.run(sections, false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    long course() {
        return f.moodleCourseId(SECTION);
    }

    long groupId(String name) {
        return f.fake.groups.values().stream().filter(g -> name.equals(g.get("name"))).mapToLong(g -> (Long) g.get("id")).findFirst().orElseThrow();
    }

    /** What Moodle does on "Unenrol": the enrolment and the course's group memberships go. */
    void unenrolInMoodle(String person) {
        long user = f.moodleUserId(person);
        f.fake.enrolments.get(course()).remove(user);
        f.fake.groupMembers.values().forEach(m -> m.remove(user));
    }

    @Test
    void a_manual_unenrolment_a_re_enabled_account_and_a_deleted_group_are_found_and_repaired_and_a_dry_run_changes_nothing() throws Exception {
        // the portal expels P-0001: the nightly run suspends the account
        Path persons = drop.resolve("persons.csv");
        Files.writeString(persons, Files.readString(persons).replace("P-0001;s0001;s0001@univ.kz;student;active", "P-0001;s0001;s0001@univ.kz;student;expelled"));
        assertThat(f.runner.run(accounts, false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        long expelled = f.moodleUserId("P-0001");
        assertThat(f.fake.users.get(expelled).get("suspended")).isEqualTo(true);
        // a no-op night writes nothing and reads nothing that would reveal drift
        long writes = f.fake.writeCalls();
        assertThat(f.runner.run(sections, false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.writeCalls()).isEqualTo(writes);

        // drift made by hand in Moodle
        unenrolInMoodle("P-0005");
        f.fake.users.get(expelled).put("suspended", false);
        long deleted = groupId("ИС-21-2");
        f.fake.groups.remove(deleted);
        f.fake.groupMembers.remove(deleted);
        int users = f.fake.users.size();

        // the nightly sync does not see it
        assertThat(f.runner.run(accounts, false, false).targets().getFirst().noop()).isEqualTo(32);
        assertThat(f.fake.writeCalls()).isEqualTo(writes);

        // a dry run reports it and changes nothing
        SyncRunReport dryAccounts = f.runner.reconcile(accounts, true, false);
        SyncRunReport drySections = f.runner.reconcile(sections, true, false);
        assertThat(dryAccounts.status()).isEqualTo(RunStatus.DRY_RUN);
        assertThat(drySections.status()).isEqualTo(RunStatus.DRY_RUN);
        assertThat(dryAccounts.driftCounts()).isEqualTo(Map.of("moodle.users active", 1));
        assertThat(drySections.driftCounts()).isEqualTo(Map.of("moodle.enrolments missing", 1, "moodle.groups missing", 1,
                "moodle.group_members missing", 6));
        assertThat(drySections.plan()).extracting(SyncRunReport.PlannedChange::explanation)
                .anyMatch(e -> e.startsWith("drift: user #" + f.moodleUserId("P-0005") + " is not enrolled in Moodle course #"));
        assertThat(f.fake.writeCalls()).as("a dry run writes nothing").isEqualTo(writes);
        assertThat(f.fake.users.get(expelled).get("suspended")).isEqualTo(false);

        // the reconciliation repairs it
        SyncRunReport a = f.runner.reconcile(accounts, false, false);
        assertThat(a.status()).as(a.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(a.targets()).singleElement().satisfies(t -> {
            assertThat(t.suspend()).isEqualTo(1);
            assertThat(t.applied()).isEqualTo(1);
        });
        assertThat(f.fake.users.get(expelled).get("suspended")).as("suspended again, not deleted").isEqualTo(true);
        SyncRunReport s = f.runner.reconcile(sections, false, false);
        assertThat(s.status()).as(s.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.summary()).contains("drift: 8 record(s) differ in their target");
        long user5 = f.moodleUserId("P-0005");
        assertThat(f.fake.enrolments.get(course())).containsKey(user5);
        long recreated = groupId("ИС-21-2");
        assertThat(recreated).isNotEqualTo(deleted);
        assertThat(f.fake.groupMembers.get(recreated)).hasSize(5);
        assertThat(f.fake.groupMembers.get(groupId("ИС-21-1"))).contains(user5).hasSize(25);
        assertThat(f.fake.users).as("nobody created or deleted").hasSize(users);

        // drift is its own figure: the history and the metric
        List<String> rows = f.db.jdbi().withHandle(h -> h.createQuery("""
                SELECT r.mode || ' ' || d.target || ' ' || d.kind FROM sync_drift d JOIN sync_run r ON r.id = d.run_id
                WHERE r.id = :run ORDER BY 1""").bind("run", s.runId()).mapTo(String.class).list());
        assertThat(rows).hasSize(8).allMatch(r -> r.startsWith("reconcile moodle."));
        SyncMetrics metrics = new SyncMetrics(f.db.jdbi());
        metrics.record(drySections);
        metrics.record(s);
        assertThat(metrics.render()).as("the dry run's drift is not counted twice")
                .contains("qatysu_sync_drift_total{job=\"sections\",kind=\"missing\",target=\"moodle.group_members\"} 6.0")
                .contains("qatysu_sync_drift_total{job=\"sections\",kind=\"missing\",target=\"moodle.groups\"} 1.0");

        // then everything is in step: no drift, no write, and the nightly runs are no-ops
        long after = f.fake.writeCalls();
        assertThat(f.runner.reconcile(accounts, false, false).driftCount()).isZero();
        assertThat(f.runner.reconcile(sections, false, false).driftCount()).isZero();
        assertThat(f.runner.run(accounts, false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.runner.run(sections, false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.writeCalls()).isEqualTo(after);
    }

    @Test
    void the_safety_valve_stops_a_reconciliation_that_would_change_too_much_until_forced() {
        for (int i = 0; i < 10; i++) {
            unenrolInMoodle("P-%04d".formatted(i)); // 10 of 31 enrolments (30 students, a teacher): 32 %, the limit is 20 %
        }
        long writes = f.fake.writeCalls();

        SyncRunReport refused = f.runner.reconcile(sections, false, false);

        assertThat(refused.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(refused.refusals()).anyMatch(r -> r.startsWith("moodle.enrolments: 10 of 31 records drifted in the target"));
        assertThat(f.fake.writeCalls()).as("nothing written").isEqualTo(writes);
        assertThat(f.fake.enrolments.get(course())).hasSize(21);

        SyncRunReport forced = f.runner.reconcile(sections, false, true);
        assertThat(forced.status()).as(forced.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.enrolments.get(course())).hasSize(31);
        assertThat(f.fake.groupMembers.values().stream().mapToInt(java.util.Set::size).sum()).isEqualTo(30);
    }

    @Test
    void a_moodle_that_cannot_be_read_back_ends_the_reconciliation_as_a_target_failure_with_nothing_written() {
        f.moodleServer.stop();

        SyncRunReport r = f.runner.reconcile(accounts, false, false);

        assertThat(r.status()).isEqualTo(RunStatus.TARGET_FAILED);
        assertThat(r.exitCode()).isEqualTo(69);
        assertThat(r.message()).startsWith("moodle.users could not be read back, nothing was written");
        assertThat(r.targets()).isEmpty();
    }
}
