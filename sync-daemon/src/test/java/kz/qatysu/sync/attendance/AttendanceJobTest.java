package kz.qatysu.sync.attendance;

import kz.qatysu.connectors.portal.CsvOutboxSink;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.support.Fixture;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class AttendanceJobTest {
    @TempDir
    Path drop;
    @TempDir
    Path outbox;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(drop);
        f.toolServer.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
        Univ.standard(drop, 3, 1);
        f.runner.run(f.accounts(), false, false);
        f.runner.run(f.sections(), false, false);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void standing(String p1State) {
        f.toolServer.stubFor(get("/api/v1/sections/CS000-2026-1/standing").willReturn(okJson("""
                [{"personId":"P-0001","plannedHours":45,"absentHours":15,"lateCount":0,"absenceShare":0.3333,"state":"%s","computedState":"%s","override":null,"reason":"15 of 45 hours"},
                 {"personId":"P-0002","plannedHours":45,"absentHours":0,"lateCount":0,"absenceShare":0,"state":"OK","computedState":"OK","override":null,"reason":null}]"""
                .formatted(p1State, p1State))));
    }

    private AttendanceJob job() {
        var sink = new CsvOutboxSink(outbox, Clock.systemUTC());
        return new AttendanceJob(f.tool, f.runner.runs(), Optional.of(LockGroups.target(f.moodle, f.options, f.runner.ledger(), "Attendance lock")),
                Optional.of(new PortalResultsTarget(PortalResultsTarget.STANDING, sink)), Optional.of(new PortalResultsTarget(PortalResultsTarget.MARKS, sink)));
    }

    @Test
    void a_locked_student_joins_the_attendance_lock_group_and_leaves_it_when_unlocked() throws Exception {
        standing("LOCKED");
        f.toolServer.stubFor(get("/api/v1/changes").willReturn(okJson("""
                {"changes":[{"type":"mark","sectionId":"CS000-2026-1","sessionId":"S-1","personId":"P-0001","status":"LATE","lateMinutes":25}],"cursor":"c-7"}""")));
        f.toolServer.stubFor(get("/api/v1/changes?since=c-7").willReturn(okJson("{\"changes\":[],\"cursor\":\"c-7\"}")));

        SyncRunReport r = f.runner.run(job(), false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        var lockGroup = f.fake.groups.values().stream().filter(g -> LockGroups.IDNUMBER.equals(g.get("idnumber"))).findFirst().orElseThrow();
        assertThat(lockGroup).containsEntry("name", "Attendance lock");
        assertThat(f.fake.groupMembers.get((Long) lockGroup.get("id"))).containsExactly(f.moodleUserId("P-0001"));
        assertThat(f.runner.runs().cursor("tool.changes")).contains("c-7");
        try (var files = Files.list(outbox)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("marks-")).anyMatch(n -> n.startsWith("standing-"));
        }

        standing("OK");
        SyncRunReport unlocked = f.runner.run(job(), false, false);

        assertThat(unlocked.status()).as(unlocked.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.fake.groupMembers.get((Long) lockGroup.get("id"))).isEmpty();
        assertThat(f.fake.groups.values()).filteredOn(g -> LockGroups.IDNUMBER.equals(g.get("idnumber"))).hasSize(1);
        f.toolServer.verify(getRequestedFor(urlEqualTo("/api/v1/changes?since=c-7")));
        assertThat(Set.copyOf(f.fake.users.keySet())).hasSize(5);
    }
}
