package kz.qatysu.sync.accounts;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.support.Fixture;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults of a real job against the fake Moodle: throttling, outages and resets in the middle of a run. */
class MoodleFaultsTest {
    @TempDir
    Path drop;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(drop);
        Univ.standard(drop, 120, 1);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** The next matching create call gets {@code fault} instead of the fake's answer; later ones reach the fake. */
    private void onceOnTheSecondCreate(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder fault) {
        f.moodleServer.stubFor(post(urlEqualTo(MoodleClient.ENDPOINT)).atPriority(1).inScenario("fault")
                .whenScenarioStateIs(Scenario.STARTED).withFormParam("wsfunction", equalTo("core_user_create_users"))
                .withRequestBody(containing("s0050")).willReturn(fault).willSetStateTo("over"));
    }

    @Test
    void throttling_and_an_unavailable_moodle_are_waited_out_and_the_run_succeeds() {
        onceOnTheSecondCreate(aResponse().withStatus(429).withHeader("Retry-After", "1"));

        SyncRunReport r = f.runner.run(f.accounts(), false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.users).hasSize(122);
    }

    @Test
    void a_connection_reset_during_a_create_stops_the_run_and_the_next_run_creates_nobody_twice() {
        // the create may or may not have reached Moodle: it is not repeated blindly
        onceOnTheSecondCreate(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        SyncRunReport broken = f.runner.run(f.accounts(), false, false);

        assertThat(broken.status()).isEqualTo(RunStatus.TARGET_FAILED);
        assertThat(broken.exitCode()).isEqualTo(69);
        assertThat(broken.message()).contains("core_user_create_users").contains("not retried");
        assertThat(f.fake.users).hasSize(50);

        SyncRunReport resumed = f.runner.run(f.accounts(), false, false);

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.users).hasSize(122);
        assertThat(f.fake.users.values().stream().map(u -> u.get("idnumber")).distinct()).hasSize(122);
    }

    @Test
    void a_server_error_on_an_idempotent_update_is_retried() {
        f.runner.run(f.accounts(), false, false);
        Univ.standard(drop, 120, 1);
        Univ.write(drop, "persons.csv", java.util.Objects.requireNonNull(read(drop.resolve("persons.csv"))).replace("s0007@univ.kz", "s0007.new@univ.kz"));
        f.moodleServer.stubFor(post(urlEqualTo(MoodleClient.ENDPOINT)).atPriority(1).inScenario("fault")
                .whenScenarioStateIs(Scenario.STARTED).withFormParam("wsfunction", equalTo("core_user_update_users"))
                .willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")).willSetStateTo("over"));

        SyncRunReport r = f.runner.run(f.accounts(), false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(r.targets().getFirst().update()).isEqualTo(1);
        assertThat(f.fake.users.get(f.moodleUserId("P-0007"))).containsEntry("email", "s0007.new@univ.kz");
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
