package kz.qatysu.sync.engine;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.portal.CsvPortalSource;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.accounts.AccountRules;
import kz.qatysu.sync.accounts.AccountsJob;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.sections.MoodleCoursesTarget;
import kz.qatysu.sync.sections.MoodleEnrolmentsTarget;
import kz.qatysu.sync.sections.MoodleGroupMembersTarget;
import kz.qatysu.sync.sections.MoodleGroupsTarget;
import kz.qatysu.sync.sections.SectionRules;
import kz.qatysu.sync.sections.SectionsJob;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded concurrency toward Moodle: the same first night (accounts, then sections) against a fake Moodle that takes
 * 200 ms per call, once one request at a time and once with four batches in flight. The concurrent accounts job is
 * several times faster (the night as a whole less: some of its waves have fewer than four batches), never more than
 * four requests are at Moodle at once, and the night ends with exactly the same ledger and the same per-record
 * outcomes — users before their enrolments, groups before their members.
 */
class ConcurrencyTest {
    static final int STUDENTS = 300;
    static final long DELAY_MS = 200;

    @TempDir
    Path drop;

    record Night(long millis, long accountsMillis, int maxInFlight, List<String> ledger, List<String> outcomes, List<RunStatus> statuses,
                 long maxWritesPerRecord) {
    }

    Night night(int concurrency) {
        FakeMoodle fake = new FakeMoodle();
        fake.delayMillis = DELAY_MS;
        WireMockServer server = FakeMoodle.start(fake);
        Database db = TestPostgres.freshDatabase("sync");
        try {
            SyncRunner runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { },
                    target -> target.startsWith("moodle.") ? concurrency : 1);
            MoodleClient client = new MoodleClient(new HttpConnector(HttpSettings.defaults("moodle", URI.create(server.baseUrl()))
                    .withRateLimit(0)), new Secret("t0ken"), 1000);
            MoodleOptions opts = MoodleOptions.defaults();
            ZoneId zone = ZoneId.of("Asia/Almaty");
            PortalReader portal = new PortalReader(new CsvPortalSource(drop), zone);
            AccountRules rules = new AccountRules(Person.Script.KK, Set.of(Person.Status.EXPELLED), "oauth2", null);
            var ledger = runner.ledger();
            AccountsJob accounts = new AccountsJob(portal, rules, Optional.of(new MoodleUsersTarget(client, opts)), Optional.empty());
            SectionsJob sections = new SectionsJob(portal, new SectionRules(zone), rules,
                    Optional.of(new SectionsJob.MoodleTargets(new MoodleCoursesTarget(client, opts), new MoodleEnrolmentsTarget(client, opts, ledger),
                            new MoodleGroupsTarget(client, opts, ledger), MoodleGroupMembersTarget.academicGroups(client, opts, ledger), opts)),
                    Optional.empty(), Optional.empty());
            long t0 = System.nanoTime();
            List<RunStatus> statuses = new ArrayList<>();
            long accountsMillis = 0;
            for (SyncJob job : List.of(accounts, sections)) {
                SyncRunReport r = runner.run(job, false, false);
                assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
                statuses.add(r.status());
                if (job == accounts) {
                    accountsMillis = r.durationMillis();
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            // ledger rows without the target's own ids (those differ between two fakes), outcomes per record
            List<String> ledgerRows = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT target || ' ' || record_key || ' ' || content_hash || ' ' || suspended FROM sync_ledger ORDER BY 1""")
                    .mapTo(String.class).list());
            List<String> outcomes = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT r.job || ' ' || c.target || ' ' || c.record_key || ' ' || c.action || ' ' || c.outcome
                    FROM sync_run_change c JOIN sync_run r ON r.id = c.run_id ORDER BY 1""").mapTo(String.class).list());
            long maxWrites = fake.writesPerRecord.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).max().orElse(0);
            return new Night(millis, accountsMillis, fake.maxInFlight(), ledgerRows, outcomes, statuses, maxWrites);
        } finally {
            server.stop();
            db.close();
        }
    }

    @Test
    void four_batches_in_flight_make_the_night_much_faster_with_the_same_outcomes_and_never_more_than_four_requests_at_moodle() {
        Univ.standard(drop, STUDENTS, 2);

        Night sequential = night(1);
        Night concurrent = night(4);

        assertThat(sequential.maxInFlight()).as("one request at a time").isEqualTo(1);
        assertThat(concurrent.maxInFlight()).as("bounded by the setting, and really concurrent").isBetween(2, 4);
        assertThat(concurrent.ledger()).as("the same ledger").isEqualTo(sequential.ledger()).hasSizeGreaterThan(STUDENTS * 3);
        assertThat(concurrent.outcomes()).as("each record's outcome recorded once, the same as sequentially")
                .isEqualTo(sequential.outcomes()).doesNotHaveDuplicates().allMatch(o -> o.endsWith(" APPLIED"));
        assertThat(concurrent.maxWritesPerRecord()).as("no record written twice").isEqualTo(1);
        assertThat(sequential.maxWritesPerRecord()).isEqualTo(1);
        // accounts: 7 batches of 3 calls each, 4 at a time (ideal 3.5×); the sections job has waves of 1–4 batches
        // (courses, groups), so the whole night gains less
        double accounts = (double) sequential.accountsMillis() / concurrent.accountsMillis();
        assertThat(accounts).as("accounts: sequential %d ms, concurrent %d ms", sequential.accountsMillis(), concurrent.accountsMillis())
                .isGreaterThan(2.5);
        assertThat(concurrent.millis()).as("the night: sequential %d ms, concurrent %d ms", sequential.millis(), concurrent.millis())
                .isLessThan(sequential.millis() * 2 / 3);
    }
}
