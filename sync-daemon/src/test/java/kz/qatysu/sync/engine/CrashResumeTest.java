package kz.qatysu.sync.engine;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 in the middle of a run, then resume: a real child JVM runs the accounts job against the fake Moodle and is
 * killed (SIGKILL) while creating users; the next run finds the dead run, adopts what the killed process created
 * without recording it, and creates the rest — nobody twice.
 */
class CrashResumeTest {
    static final int PEOPLE = 600;

    @TempDir
    Path drop;

    static AccountsJob accounts(String moodleUrl, Path drop, Ledger ledger) {
        var client = new MoodleClient(new HttpConnector(HttpSettings.defaults("moodle", URI.create(moodleUrl)).withRateLimit(0)),
                new Secret("t0ken"), 1000);
        var options = MoodleOptions.defaults();
        var small = new MoodleOptions(10, options.maxInputVars(), options.auth(), options.nameScript(), options.roleIds(),
                options.defaultCategory(), options.categories(), options.templateCourseId(), options.lang());
        return new AccountsJob(new PortalReader(new CsvPortalSource(drop), ZoneId.of("Asia/Almaty")),
                new AccountRules(Person.Script.KK, Set.of(Person.Status.EXPELLED), "oauth2", null),
                Optional.of(new MoodleUsersTarget(client, small)), Optional.empty());
    }

    /** The process that gets killed: {@code <moodle url> <jdbc url> <drop folder>}. */
    public static void main(String[] args) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(args[1]);
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(4);
        Database db = Database.wrap("sync", new HikariDataSource(cfg));
        SyncRunner runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { });
        runner.run(accounts(args[0], Path.of(args[2]), runner.ledger()), false, false);
        System.exit(0);
    }

    @Test
    void a_run_killed_mid_way_is_resumed_by_the_next_run_without_duplicates() throws Exception {
        StringBuilder csv = new StringBuilder("id;login;email;last_name_latin;first_name_latin\n");
        for (int i = 0; i < PEOPLE; i++) {
            csv.append("P-%04d;u%04d;u%04d@univ.kz;Zhumabek;Erlan\n".formatted(i, i, i));
        }
        Files.writeString(drop.resolve("persons.csv"), csv.toString());
        FakeMoodle fake = new FakeMoodle();
        fake.delayMillis = 30;
        WireMockServer moodle = FakeMoodle.start(fake);
        HikariDataSource ds = TestPostgres.freshDataSource("crash");
        Database db = Database.wrap("sync", ds);
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashResumeTest.class.getName(),
                    moodle.baseUrl(), ds.getJdbcUrl(), drop.toString())
                    .redirectErrorStream(true).redirectOutput(drop.resolve("child.log").toFile()).start();
            Instant deadline = Instant.now().plusSeconds(60);
            while (fake.calls("core_user_create_users") < 15 && child.isAlive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("still running when killed; log: " + drop.resolve("child.log")).isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            int createdBeforeKill = fake.users.size();
            assertThat(createdBeforeKill).isBetween(100, PEOPLE - 1);

            SyncRunner runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { });
            fake.delayMillis = 0;
            SyncRunReport resumed = runner.run(accounts(moodle.baseUrl(), drop, runner.ledger()), false, false);

            assertThat(resumed.status()).as(resumed.summary()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(resumed.message()).contains("resumed after interrupted run(s)");
            assertThat(fake.users).hasSize(PEOPLE);
            Set<Object> idnumbers = new HashSet<>();
            fake.users.values().forEach(u -> idnumbers.add(u.get("idnumber")));
            assertThat(idnumbers).as("every person exactly once").hasSize(PEOPLE);
            List<String> statuses = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM sync_run ORDER BY id").mapTo(String.class).list());
            assertThat(statuses).containsExactly("CRASHED", "SUCCEEDED");
            assertThat(runner.ledger().states(MoodleUsersTarget.NAME)).hasSize(PEOPLE);
            long writes = fake.writeCalls();
            assertThat(runner.run(accounts(moodle.baseUrl(), drop, runner.ledger()), false, false).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(fake.writeCalls()).as("then a no-op").isEqualTo(writes);
        } finally {
            moodle.stop();
            db.close();
        }
    }
}
