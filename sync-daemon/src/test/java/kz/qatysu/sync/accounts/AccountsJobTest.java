package kz.qatysu.sync.accounts;

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
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.engine.SafetyLimits;
import kz.qatysu.sync.engine.SyncRunner;
import kz.qatysu.sync.moodle.MoodleOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccountsJobTest {
    @TempDir
    Path drop;
    FakeMoodle fake;
    WireMockServer moodle;
    Database db;
    SyncRunner runner;
    AccountsJob job;

    @BeforeEach
    void setUp() {
        fake = new FakeMoodle();
        moodle = FakeMoodle.start(fake);
        db = TestPostgres.freshDatabase("sync");
        runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { });
        var client = new MoodleClient(new HttpConnector(HttpSettings.defaults("moodle", URI.create(moodle.baseUrl()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0)), new Secret("t0ken"), 1000);
        var options = MoodleOptions.defaults();
        job = new AccountsJob(new PortalReader(new CsvPortalSource(drop), ZoneId.of("Asia/Almaty")),
                new AccountRules(Person.Script.KK, Set.of(Person.Status.EXPELLED, Person.Status.GRADUATED), "oauth2", null),
                Optional.of(new MoodleUsersTarget(client, options)), Optional.empty());
    }

    @AfterEach
    void tearDown() {
        moodle.stop();
        db.close();
    }

    private void persons(int n, Map<Integer, String> statusOverrides) throws Exception {
        StringBuilder sb = new StringBuilder("id;login;email;status;group;last_name_kk;first_name_kk;last_name_latin;first_name_latin\n");
        for (int i = 0; i < n; i++) {
            sb.append("P-%04d;s%04d;s%04d@univ.kz;%s;ИС-21-1;Қасымұлы;Әлихан;Qasymuly;Alikhan\n".formatted(i, i, i,
                    statusOverrides.getOrDefault(i, "active")));
        }
        Files.writeString(drop.resolve("persons.csv"), sb.toString());
    }

    private Map<String, Object> moodleUser(String idnumber) {
        return fake.users.values().stream().filter(u -> idnumber.equals(u.get("idnumber"))).findFirst().orElseThrow();
    }

    @Test
    void accounts_are_created_with_the_portal_id_as_idnumber_and_a_resync_makes_no_writes() throws Exception {
        persons(120, Map.of());

        SyncRunReport first = runner.run(job, false, false);

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.users).hasSize(120);
        Map<String, Object> u = moodleUser("P-0007");
        assertThat(u).containsEntry("username", "s0007").containsEntry("firstname", "Әлихан").containsEntry("lastname", "Қасымұлы")
                .containsEntry("firstnamephonetic", "Alikhan").containsEntry("auth", "oauth2");
        assertThat(fake.calls("core_user_create_users")).as("120 users / 50 per batch").isEqualTo(3);
        long writes = fake.writeCalls();

        SyncRunReport second = runner.run(job, false, false);

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.writeCalls()).isEqualTo(writes);
        assertThat(second.targets().getFirst().noop()).isEqualTo(120);
    }

    @Test
    void an_expelled_student_is_suspended_not_deleted_and_a_returning_one_is_reactivated() throws Exception {
        persons(40, Map.of());
        runner.run(job, false, false);

        persons(40, Map.of(3, "expelled"));
        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.targets().getFirst().suspend()).isEqualTo(1);
        assertThat(moodleUser("P-0003")).containsEntry("suspended", true);
        assertThat(fake.users).hasSize(40);

        persons(40, Map.of());
        SyncRunReport back = runner.run(job, false, false);
        assertThat(back.targets().getFirst().update()).isEqualTo(1);
        assertThat(moodleUser("P-0003")).containsEntry("suspended", false);
    }

    @Test
    void one_account_moodle_rejects_is_isolated_and_the_rest_of_its_batch_is_created() throws Exception {
        persons(50, Map.of());
        fake.poison = u -> "s0031".equals(u.get("username"));

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).isEqualTo(RunStatus.PARTIAL);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("P-0031");
            assertThat(f.error()).isEqualTo("invalidparameter: Invalid parameter value detected (Email address is invalid)");
        });
        assertThat(fake.users).hasSize(49);
    }

    @Test
    void an_account_that_already_exists_in_moodle_is_adopted_instead_of_duplicated() throws Exception {
        persons(25, Map.of());
        fake.users.put(1L, new java.util.LinkedHashMap<>(Map.of("id", 1L, "username", "s0005", "idnumber", "",
                "email", "old@univ.kz", "firstname", "Old", "lastname", "Name", "suspended", false)));

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.users).hasSize(25);
        assertThat(fake.users.get(1L)).containsEntry("idnumber", "P-0005").containsEntry("email", "s0005@univ.kz");
        assertThat(runner.ledger().remoteIds(MoodleUsersTarget.NAME)).containsEntry("P-0005", "1");
    }

    @Test
    void a_truncated_export_trips_the_valve_and_no_one_is_suspended() throws Exception {
        persons(200, Map.of());
        runner.run(job, false, false);
        long writes = fake.writeCalls();
        persons(120, Map.of());

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).isEqualTo(RunStatus.REFUSED);
        assertThat(r.refusals()).first().asString().contains("would suspend 80 of 200 records");
        assertThat(fake.writeCalls()).isEqualTo(writes);
        assertThat(fake.users.values()).noneMatch(u -> Boolean.TRUE.equals(u.get("suspended")));
    }

    @Test
    void posts_cut_short_by_max_input_vars_are_detected_and_nobody_is_created_twice() throws Exception {
        persons(50, Map.of());
        // the site's PHP keeps 203 variables (the client believes 1000): 3 + 20 whole users of 10 fields each —
        // Moodle creates those 20 and answers for 20 of the 50 sent
        fake.maxInputVars = 203;

        SyncRunReport cut = runner.run(job, false, false);

        assertThat(cut.status()).isEqualTo(RunStatus.TARGET_FAILED);
        assertThat(cut.message()).contains("sent 50 records, Moodle answered for 20").contains("max_input_vars");
        assertThat(fake.users).hasSize(20);

        // now the cut falls inside a record: Moodle rejects the batch, bisection sends halves that fit
        fake.maxInputVars = 200;
        SyncRunReport resumed = runner.run(job, false, false);

        assertThat(resumed.status()).as(resumed.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.users).hasSize(50);
        assertThat(fake.users.values().stream().map(u -> u.get("idnumber")).distinct()).hasSize(50);
    }

    /** Issue 8 §4: a broken export must never be read as a smaller one. */
    @Test
    void an_export_with_an_unbalanced_quote_at_line_12_is_refused_as_a_whole_with_the_bad_input_exit_code() throws Exception {
        persons(1200, Map.of());
        runner.run(job, false, false);
        long writes = fake.writeCalls();
        StringBuilder sb = new StringBuilder("id;login;email;status;group;last_name_kk;first_name_kk;last_name_latin;first_name_latin\n");
        for (int i = 0; i < 1200; i++) {
            // line 12 holds person 10: its unbalanced quote pairs with the quote of line 62 and swallows the 50 lines
            // between, few enough (4 %) to pass the safety valve if they were read as missing people
            sb.append("P-%04d;s%04d;s%04d@univ.kz;active;ИС-21-1;Қасымұлы;%s;%s;Alikhan\n".formatted(i, i, i,
                    i == 10 ? "\"Әлихан" : "Әлихан", i == 60 ? "\"Qasymuly\"" : "Qasymuly"));
        }
        Files.writeString(drop.resolve("persons.csv"), sb.toString());

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SOURCE_FAILED);
        assertThat(r.exitCode()).isEqualTo(65);
        assertThat(r.message()).contains("persons.csv line 12: ").contains("quote");
        assertThat(fake.writeCalls()).as("nothing applied").isEqualTo(writes);
        assertThat(fake.users.values()).noneMatch(u -> Boolean.TRUE.equals(u.get("suspended")));
    }
}
