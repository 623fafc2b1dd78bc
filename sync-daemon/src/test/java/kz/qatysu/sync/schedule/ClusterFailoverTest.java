package kz.qatysu.sync.schedule;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two daemon nodes in a Quartz cluster (issue 13 §1): two separate JVMs run {@code sync daemon} on one PostgreSQL
 * (clustered JDBC job store, check-in every second — the test's setting; production's is 7.5 s) against a fake Moodle
 * slowed to 100 ms a call. The node that fires the accounts job is killed with SIGKILL mid-run; the other finds it
 * dead, recovers the job ({@code requestRecovery}) and finishes it from the ledger: every person has exactly one
 * Moodle account, only the batches in flight at the kill were written twice (created, then adopted), and at no moment
 * did the job run on both nodes.
 */
class ClusterFailoverTest {
    static final int PEOPLE = 600;

    @TempDir
    Path dir;

    /** One daemon node: {@code sync daemon} configured entirely by the environment the test gives it. */
    public static void main(String[] args) {
        System.exit(SyncCli.run(new String[] {"daemon"}, System.getenv(), System.out, System.err));
    }

    Process node(String id, String jdbcUrl, String moodleUrl, Path drop) throws Exception {
        Path data = Files.createDirectories(dir.resolve(id));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), ClusterFailoverTest.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("QATYSU_"));
        env.putAll(Map.ofEntries(Map.entry("QATYSU_DATA_DIR", data.toString()), Map.entry("QATYSU_DB_URL", jdbcUrl),
                Map.entry("QATYSU_DB_USER", "postgres"),
                Map.entry("QATYSU_SYNC_MOODLE_URL", moodleUrl), Map.entry("QATYSU_SYNC_MOODLE_TOKEN", "t0ken"),
                Map.entry("QATYSU_SYNC_MOODLE_RATE_LIMIT", "0"), Map.entry("QATYSU_SYNC_MOODLE_CONCURRENCY", "2"),
                Map.entry("QATYSU_SYNC_PORTAL_CSV_FOLDER", drop.toString()),
                // every 3 s: whichever node acquires the trigger runs it; later firings are no-ops (nothing changed)
                Map.entry("QATYSU_SYNC_JOBS_ACCOUNTS_CRON", "0/3 * * * * ?"),
                Map.entry("QATYSU_SYNC_JOBS_SECTIONS_ENABLED", "false"), Map.entry("QATYSU_SYNC_JOBS_TIMETABLE_ENABLED", "false"),
                Map.entry("QATYSU_SYNC_JOBS_GRADES_ENABLED", "false"), Map.entry("QATYSU_SYNC_JOBS_RECONCILE_ENABLED", "false"),
                Map.entry("QATYSU_SYNC_SCHEDULER_CLUSTERED", "true"), Map.entry("QATYSU_SYNC_SCHEDULER_INSTANCE_ID", id),
                Map.entry("QATYSU_SYNC_SCHEDULER_CHECKIN_INTERVAL", "1s")));
        return pb.start();
    }

    @Test
    void the_node_running_the_nightly_job_is_killed_and_the_other_recovers_it_without_duplicate_writes_or_overlap() throws Exception {
        Path drop = Files.createDirectories(dir.resolve("drop"));
        StringBuilder csv = new StringBuilder("id;login;email;last_name_latin;first_name_latin\n");
        for (int i = 0; i < PEOPLE; i++) {
            csv.append("P-%04d;u%04d;u%04d@univ.kz;Zhumabek;Erlan\n".formatted(i, i, i));
        }
        Files.writeString(drop.resolve("persons.csv"), csv.toString());
        FakeMoodle fake = new FakeMoodle();
        fake.delayMillis = 100;
        WireMockServer moodle = FakeMoodle.start(fake);
        HikariDataSource ds = TestPostgres.freshDataSource("cluster");
        Database db = Database.wrap("sync", ds); // migrated once here; the nodes find it up to date
        Map<String, Process> nodes = new HashMap<>();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger maxExecuting = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> killedNode = new java.util.concurrent.atomic.AtomicReference<>();
        Thread watcher = null;
        try {
            nodes.put("node-a", node("node-a", ds.getJdbcUrl(), moodle.baseUrl(), drop));
            nodes.put("node-b", node("node-b", ds.getJdbcUrl(), moodle.baseUrl(), drop));
            // at no moment do two runs of the job, or two Quartz executions of it, exist at once
            watcher = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        int running = db.jdbi().withHandle(h -> h.createQuery(
                                "SELECT count(*) FROM sync_run WHERE job = 'accounts' AND status = 'RUNNING'").mapTo(Integer.class).one());
                        // the nodes executing the job: a killed node's row stays EXECUTING until the survivor's
                        // cluster check recovers it, yet nothing runs there any more, so the killed node is left out;
                        // a recovery may leave two of the survivor's own rows for a moment (its recovery trigger beside
                        // the released one) — one node, and the job's lock and the RUNNING count above stop a second run
                        String dead = killedNode.get();
                        int executing = db.jdbi().withHandle(h -> h.createQuery("""
                                SELECT count(DISTINCT f.instance_name) FROM qrtz_fired_triggers f JOIN qrtz_scheduler_state s
                                  ON s.sched_name = f.sched_name AND s.instance_name = f.instance_name
                                WHERE f.job_name = 'accounts' AND f.state = 'EXECUTING' AND f.instance_name <> :dead
                                  AND s.last_checkin_time > (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 3 * s.checkin_interval""")
                                .bind("dead", dead == null ? "" : dead).mapTo(Integer.class).one());
                        maxRunning.accumulateAndGet(running, Math::max);
                        maxExecuting.accumulateAndGet(executing, Math::max);
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the pool closing at the end
                    }
                }
            });

            Instant deadline = Instant.now().plusSeconds(60);
            while (fake.calls("core_user_create_users") < 3 && Instant.now().isBefore(deadline)) {
                nodes.values().forEach(p -> assertThat(p.isAlive()).as("a node exited early; logs in " + dir).isTrue());
                Thread.sleep(10);
            }
            String host = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT host FROM sync_run WHERE job = 'accounts' AND status = 'RUNNING'").mapTo(String.class).one());
            String victim = nodes.entrySet().stream().filter(e -> host.endsWith("/" + e.getValue().pid())).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError("the run's host " + host + " is neither node"));
            String survivor = victim.equals("node-a") ? "node-b" : "node-a";
            Process killed = nodes.get(victim);
            killedNode.set(victim); // its instance id is its node name
            killed.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, the Quartz row stays EXECUTING
            assertThat(killed.waitFor(20, TimeUnit.SECONDS)).isTrue();
            Instant killedAt = Instant.now();
            int createdAtKill = fake.users.size();
            assertThat(createdAtKill).as("killed mid-run").isBetween(1, PEOPLE - 1);

            // the survivor notices (check-in 1 s + Quartz's 7.5 s grace), recovers the job and finishes it
            String finished = null;
            while (finished == null && Instant.now().isBefore(deadline)) {
                finished = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT host || ' ' || status || ' ' || coalesce(summary, '') FROM sync_run
                        WHERE job = 'accounts' AND status = 'SUCCEEDED' ORDER BY id LIMIT 1""").mapTo(String.class).findOne().orElse(null));
                Thread.sleep(100);
            }
            assertThat(finished).as("the survivor finished the job; logs in " + dir).isNotNull()
                    .endsWith("/" + nodes.get(survivor).pid() + " SUCCEEDED " + finished.substring(finished.indexOf("SUCCEEDED ") + 10));
            String log = "";
            while (!log.contains("job=accounts recovering") && Instant.now().isBefore(deadline)) {
                log = Files.readString(dir.resolve(survivor + ".log"));
                Thread.sleep(100);
            }
            assertThat(log).as("Quartz recovered the job on the survivor (requestRecovery)").contains("job=accounts recovering");

            List<String> runs = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT status FROM sync_run WHERE job = 'accounts' ORDER BY id").mapTo(String.class).list());
            assertThat(runs.getFirst()).isEqualTo("CRASHED");
            assertThat(runs.get(1)).isEqualTo("SUCCEEDED");
            String resumed = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT report->>'message' FROM sync_run WHERE job = 'accounts' ORDER BY id OFFSET 1 LIMIT 1").mapTo(String.class).one());
            assertThat(resumed).contains("resumed after interrupted run(s)");
            Instant secondStarted = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT started_at FROM sync_run WHERE job = 'accounts' ORDER BY id OFFSET 1 LIMIT 1").mapTo(java.time.OffsetDateTime.class).one()).toInstant();
            assertThat(secondStarted).as("the recovered run started only after the first node was dead").isAfter(killedAt.minusMillis(1));

            // no duplicate: one account per person; only the batches in flight at the kill were written twice
            assertThat(fake.users).hasSize(PEOPLE);
            Set<Object> idnumbers = new HashSet<>();
            fake.users.values().forEach(u -> idnumbers.add(u.get("idnumber")));
            assertThat(idnumbers).hasSize(PEOPLE);
            List<Long> perRecord = new ArrayList<>(fake.writesPerRecord.values().stream().map(AtomicLong::get).toList());
            assertThat(perRecord).hasSize(PEOPLE).allMatch(n -> n <= 2);
            long twice = perRecord.stream().filter(n -> n == 2).count();
            assertThat(twice).as("created by the killed node, adopted by the survivor: at most the two batches in flight")
                    .isLessThanOrEqualTo(2 * 50);
            assertThat(maxRunning.get()).as("never two runs at once").isLessThanOrEqualTo(1);
            assertThat(maxExecuting.get()).as("never Quartz executions of the job on both nodes at once").isLessThanOrEqualTo(1);
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
            for (Process p : nodes.values()) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            moodle.stop();
            db.close();
        }
    }
}
