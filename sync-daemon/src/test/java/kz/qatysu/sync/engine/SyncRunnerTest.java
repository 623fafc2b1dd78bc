package kz.qatysu.sync.engine;

import kz.qatysu.connectors.portal.RecordError;
import kz.qatysu.connectors.portal.SourceUnavailableException;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncRunReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class SyncRunnerTest {
    Database db;
    SyncRunner runner;
    RecordingTarget target;
    List<SyncRunReport> reports = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db = TestPostgres.freshDatabase("sync");
        runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), reports::add);
        target = new RecordingTarget("moodle.users", 10);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static List<Desired> people(int n) {
        List<Desired> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Desired.of("P-" + i, Map.of("email", "p" + i + "@univ.kz", "lastname", "Сәрсенбай")));
        }
        return out;
    }

    SyncJob job(Supplier<List<Desired>> source) {
        return new SyncJob() {
            @Override
            public String name() {
                return "accounts";
            }

            @Override
            public JobInput prepare(JobContext context) {
                List<Desired> d = source.get();
                return new JobInput(List.of(new SyncStep(target, d)), List.of(new SourceRead("persons", d.size(), List.of())));
            }
        };
    }

    @Test
    void a_second_run_without_source_change_makes_no_write_calls() {
        SyncRunReport first = runner.run(job(() -> people(95)), false, false);
        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(target.writeCalls.get()).isEqualTo(10);
        assertThat(target.records).hasSize(95);

        SyncRunReport second = runner.run(job(() -> people(95)), false, false);

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(target.writeCalls.get()).as("no new write calls").isEqualTo(10);
        assertThat(second.targets()).singleElement().satisfies(t -> {
            assertThat(t.noop()).isEqualTo(95);
            assertThat(t.create() + t.update() + t.suspend()).isZero();
        });
    }

    @Test
    void a_truncated_export_trips_the_safety_valve_and_nothing_is_written_unless_forced() {
        runner.run(job(() -> people(100)), false, false);
        int calls = target.writeCalls.get();

        SyncRunReport refused = runner.run(job(() -> people(60)), false, false);

        assertThat(refused.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.refusals()).containsExactly(
                "moodle.users: would suspend 40 of 100 records (40.0 %, limit 5.0 %)",
                "moodle.users: would change 40 of 100 records (40.0 %, limit 20.0 %)");
        assertThat(target.writeCalls.get()).isEqualTo(calls);
        assertThat(target.suspended.values()).doesNotContain(true);
        assertThat(refused.summary()).contains("REFUSED").contains("--force");

        SyncRunReport forced = runner.run(job(() -> people(60)), false, true);
        assertThat(forced.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(target.suspended.values().stream().filter(b -> b)).hasSize(40);
        assertThat(target.records).as("suspended, never deleted").hasSize(100);
    }

    @Test
    void a_dry_run_saves_the_plan_and_writes_nothing() {
        SyncRunReport dry = runner.run(job(() -> people(30)), true, false);

        assertThat(dry.status()).isEqualTo(RunStatus.DRY_RUN);
        assertThat(target.writeCalls.get()).isZero();
        assertThat(dry.plan()).hasSize(30).first().satisfies(p -> assertThat(p.action()).isEqualTo("CREATE"));
        int saved = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM sync_run_change WHERE run_id = :r AND outcome = 'PLANNED'")
                .bind("r", dry.runId()).mapTo(Integer.class).one());
        assertThat(saved).isEqualTo(30);
        assertThat(runner.ledger().states("moodle.users")).isEmpty();
    }

    @Test
    void one_bad_record_fails_alone_and_is_retried_next_run() {
        target.rejects = java.util.Set.of("P-7");

        SyncRunReport first = runner.run(job(() -> people(20)), false, false);

        assertThat(first.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(first.exitCode()).isEqualTo(1);
        assertThat(first.failures()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("P-7");
            assertThat(f.error()).contains("Email address already exists");
        });
        assertThat(target.records).hasSize(19);

        target.rejects = java.util.Set.of();
        SyncRunReport second = runner.run(job(() -> people(20)), false, false);
        assertThat(second.targets().getFirst().create()).isEqualTo(1);
        assertThat(target.records).hasSize(20);
    }

    @Test
    void a_run_stopped_by_a_failing_target_resumes_where_it_stopped_without_duplicates() {
        target.failAfterCalls = 4;
        SyncRunReport broken = runner.run(job(() -> people(100)), false, false);
        assertThat(broken.status()).isEqualTo(RunStatus.TARGET_FAILED);
        assertThat(broken.exitCode()).isEqualTo(69);
        assertThat(runner.ledger().states("moodle.users")).hasSize(40);

        target.failAfterCalls = Integer.MAX_VALUE;
        SyncRunReport resumed = runner.run(job(() -> people(100)), false, false);

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.targets().getFirst().create()).isEqualTo(60);
        assertThat(target.creates.get()).isEqualTo(100);
        assertThat(runner.ledger().remoteIds("moodle.users")).containsEntry("P-99", "remote-P-99");
    }

    @Test
    void a_run_left_running_by_a_dead_process_is_marked_crashed_by_the_next_run() {
        long dead = runner.runs().start("accounts", false, false, java.time.Instant.now());

        SyncRunReport next = runner.run(job(() -> people(5)), false, false);

        assertThat(next.message()).contains("resumed after interrupted run(s) [" + dead + "]");
        String status = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM sync_run WHERE id = :id").bind("id", dead)
                .mapTo(String.class).one());
        assertThat(status).isEqualTo("CRASHED");
    }

    @Test
    void a_second_run_of_the_same_job_while_one_holds_the_lock_does_nothing() {
        try (var held = JobLock.tryAcquire(db.jdbi(), "accounts").orElseThrow()) {
            SyncRunReport report = runner.run(job(() -> people(5)), false, false);
            assertThat(report.status()).isEqualTo(RunStatus.LOCKED);
            assertThat(report.exitCode()).isEqualTo(75);
            assertThat(target.writeCalls.get()).isZero();
        }
        assertThat(runner.run(job(() -> people(5)), false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void an_unreadable_source_fails_the_run_and_writes_nothing() {
        SyncRunReport report = runner.run(job(() -> {
            throw new SourceUnavailableException("cannot read /drop/persons.csv");
        }), false, false);
        assertThat(report.status()).isEqualTo(RunStatus.SOURCE_FAILED);
        assertThat(report.exitCode()).isEqualTo(65);
        assertThat(report.message()).contains("/drop/persons.csv");
    }

    @Test
    void every_change_is_explained_in_the_audit_trail() {
        runner.run(job(() -> people(3)), false, false);
        List<Desired> changed = new ArrayList<>(people(3));
        changed.set(1, Desired.of("P-1", Map.of("email", "renamed@univ.kz", "lastname", "Сәрсенбай")));

        SyncRunReport report = runner.run(job(() -> changed), false, false);

        String detail = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT detail FROM sync_run_change WHERE run_id = :r AND record_key = 'P-1' AND outcome = 'APPLIED'""")
                .bind("r", report.runId()).mapTo(String.class).one());
        assertThat(detail).isEqualTo("changed in the portal: email: 'p1@univ.kz' → 'renamed@univ.kz'");
        assertThat(report.toJson()).contains("\"status\":\"SUCCEEDED\"");
    }

    @Test
    void rejected_source_records_are_kept_with_the_run() {
        SyncJob withErrors = new SyncJob() {
            @Override
            public String name() {
                return "accounts";
            }

            @Override
            public JobInput prepare(JobContext context) {
                return new JobInput(List.of(new SyncStep(target, people(2))), List.of(new SourceRead("persons", 3,
                        List.of(new RecordError("persons.csv line 4", "P-9", "email", "x@", "not an e-mail address")))));
            }
        };
        SyncRunReport report = runner.run(withErrors, false, false);
        assertThat(report.sourceErrors()).hasSize(1);
        String reason = db.jdbi().withHandle(h -> h.createQuery("SELECT field || '=' || value || ': ' || reason FROM sync_source_error WHERE run_id = :r")
                .bind("r", report.runId()).mapTo(String.class).one());
        assertThat(reason).isEqualTo("email=x@: not an e-mail address");
        assertThat(report.summary()).contains("persons.csv line 4 (P-9): email = 'x@': not an e-mail address");
    }

    @Test
    void with_several_batches_in_flight_a_target_that_stops_answering_ends_the_run_and_the_next_resumes_without_duplicates() {
        SyncRunner parallel = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), reports::add, t -> 4);
        target.pauseMillis = 30;
        target.failAfterCalls = 6;

        SyncRunReport broken = parallel.run(job(() -> people(100)), false, false);

        assertThat(broken.status()).isEqualTo(RunStatus.TARGET_FAILED);
        assertThat(target.maxInFlight.get()).isBetween(2, 4);
        assertThat(runner.ledger().states("moodle.users")).as("the six batches that were written, recorded").hasSize(60);
        assertThat(broken.targets().getFirst().applied()).isEqualTo(60);
        List<String> outcomes = db.jdbi().withHandle(h -> h.createQuery("SELECT record_key FROM sync_run_change WHERE run_id = :run")
                .bind("run", broken.runId()).mapTo(String.class).list());
        assertThat(outcomes).hasSize(60).doesNotHaveDuplicates();

        target.failAfterCalls = Integer.MAX_VALUE;
        SyncRunReport resumed = parallel.run(job(() -> people(100)), false, false);

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.targets().getFirst().create()).isEqualTo(40);
        assertThat(target.creates.get()).isEqualTo(100);
        assertThat(target.writeCalls.get()).isEqualTo(10);
    }
}
