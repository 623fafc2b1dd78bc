package kz.qatysu.sync.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.portal.CsvPortalSource;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.accounts.AccountRules;
import kz.qatysu.sync.accounts.AccountsJob;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.engine.SafetyLimits;
import kz.qatysu.sync.engine.SyncRunner;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.sections.MoodleCoursesTarget;
import kz.qatysu.sync.sections.MoodleEnrolmentsTarget;
import kz.qatysu.sync.sections.MoodleGroupMembersTarget;
import kz.qatysu.sync.sections.MoodleGroupsTarget;
import kz.qatysu.sync.sections.SectionRules;
import kz.qatysu.sync.sections.SectionsJob;
import kz.qatysu.sync.sections.ToolSectionsTarget;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** A fake Moodle, a stubbed tool, a fresh database and a CSV portal, wired like the daemon wires them. */
public final class Fixture implements AutoCloseable {
    public static final ZoneId ALMATY = ZoneId.of("Asia/Almaty");
    public final FakeMoodle fake = new FakeMoodle();
    public final WireMockServer moodleServer = FakeMoodle.start(fake);
    public final WireMockServer toolServer = new WireMockServer(options().dynamicPort());
    public final Database db = TestPostgres.freshDatabase("sync");
    public final SyncRunner runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { });
    public final MoodleOptions options = MoodleOptions.defaults();
    public final MoodleClient moodle;
    public final ToolClient tool;
    public final PortalReader portal;

    public Fixture(Path drop) {
        toolServer.start();
        moodle = new MoodleClient(new HttpConnector(HttpSettings.defaults("moodle", URI.create(moodleServer.baseUrl()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0)), new Secret("t0ken"), 1000);
        tool = new ToolClient(new HttpConnector(HttpSettings.defaults("tool", URI.create(toolServer.baseUrl()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0)), new Secret("daemon-token-0123456789"));
        portal = new PortalReader(new CsvPortalSource(drop), ALMATY);
    }

    public final AccountRules accountRules = new AccountRules(Person.Script.KK, Set.of(Person.Status.EXPELLED), "oauth2", null);

    public AccountsJob accounts() {
        return new AccountsJob(portal, accountRules,
                Optional.of(new MoodleUsersTarget(moodle, options)), Optional.empty());
    }

    public SectionsJob sections() {
        var ledger = runner.ledger();
        return new SectionsJob(portal, new SectionRules(ALMATY), accountRules,
                Optional.of(new SectionsJob.MoodleTargets(new MoodleCoursesTarget(moodle, options), new MoodleEnrolmentsTarget(moodle, options, ledger),
                        new MoodleGroupsTarget(moodle, options, ledger), MoodleGroupMembersTarget.academicGroups(moodle, options, ledger), options)),
                Optional.empty(),
                Optional.of(new SectionsJob.ToolTargets(ToolSectionsTarget.sections(tool), ToolSectionsTarget.enrolments(tool))));
    }

    public long moodleUserId(String idnumber) {
        return fake.users.values().stream().filter(u -> idnumber.equals(u.get("idnumber"))).mapToLong(u -> (Long) u.get("id")).findFirst().orElseThrow();
    }

    public long moodleCourseId(String idnumber) {
        return fake.courses.values().stream().filter(c -> idnumber.equals(c.get("idnumber"))).mapToLong(c -> (Long) c.get("id")).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        moodleServer.stop();
        toolServer.stop();
        db.close();
    }
}
