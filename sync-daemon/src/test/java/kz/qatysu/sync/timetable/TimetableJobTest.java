package kz.qatysu.sync.timetable;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.moodle.FakeMoodle;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.portal.CsvPortalSource;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.qatysu.ToolClient;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.engine.SafetyLimits;
import kz.qatysu.sync.engine.SyncRunner;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.sections.MoodleCoursesTarget;
import kz.qatysu.sync.support.Univ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class TimetableJobTest {
    @TempDir
    Path drop;
    FakeMoodle fake;
    WireMockServer moodle;
    WireMockServer toolServer;
    Database db;
    SyncRunner runner;
    TimetableJob job;

    @BeforeEach
    void setUp() {
        fake = new FakeMoodle();
        moodle = FakeMoodle.start(fake);
        toolServer = new WireMockServer(options().dynamicPort());
        toolServer.start();
        toolServer.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(204)));
        db = TestPostgres.freshDatabase("sync");
        runner = new SyncRunner(db.jdbi(), SafetyLimits.DEFAULT, Clock.systemUTC(), r -> { });
        var client = new MoodleClient(new HttpConnector(HttpSettings.defaults("moodle", URI.create(moodle.baseUrl())).withRateLimit(0)),
                new Secret("t0ken"), 1000);
        var tool = new ToolClient(new HttpConnector(HttpSettings.defaults("tool", URI.create(toolServer.baseUrl())).withRateLimit(0)),
                new Secret("daemon-token-0123456789"));
        job = new TimetableJob(new PortalReader(new CsvPortalSource(drop), ZoneId.of("Asia/Almaty")), new TimetableRules(),
                Optional.of(new MoodleEventsTarget(client, MoodleOptions.defaults(), runner.ledger())),
                Optional.of(new ToolSessionsTarget(tool)), 400, 600);
        Univ.standard(drop, 10, 2);
        // the courses exist (the sections job ran): put them into the fake and the ledger
        for (String code : List.of("CS000-2026-1", "CS001-2026-1")) {
            long id = code.equals("CS000-2026-1") ? 11 : 12;
            fake.courses.put(id, new java.util.LinkedHashMap<>(Map.of("id", id, "shortname", code, "idnumber", code)));
            db.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO sync_ledger (target, record_key, content_hash, fields, remote_id, suspended, updated_at)
                    VALUES (?, ?, 'x', '{}'::jsonb, ?, false, now())""", MoodleCoursesTarget.NAME, code, Long.toString(id)));
        }
    }

    @AfterEach
    void tearDown() {
        moodle.stop();
        toolServer.stop();
        db.close();
    }

    private void timetable(String... rows) {
        Univ.write(drop, "timetable.csv", "id;section;start;end;kind;room;online_url;cameras\n" + String.join("\n", rows) + "\n");
    }

    @Test
    void the_timetable_becomes_moodle_events_and_tool_sessions_and_a_resync_writes_nothing() {
        timetable("S-1;CS000-2026-1;2026-09-02 08:00;2026-09-02 08:50;lecture;A-204;;",
                "S-2;CS000-2026-1;2026-09-02 08:55;2026-09-02 09:45;seminar;;https://bbb.univ.kz/b/cs0;yes",
                "S-3;CS001-2026-1;2026-09-03 08:00;2026-09-03 08:50;lecture;B-1;;");

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.events.values()).hasSize(3).anySatisfy(e -> {
            assertThat(e).containsEntry("courseid", 11L).containsEntry("timeduration", 3000L)
                    .containsEntry("timestart", java.time.OffsetDateTime.parse("2026-09-02T08:00:00+05:00").toEpochSecond());
            assertThat((String) e.get("description")).isEqualTo("Room A-204. [qatysu:S-1]");
            assertThat((String) e.get("name")).isEqualTo("Lecture: Бағдарламалау негіздері 0");
        });
        toolServer.verify(putRequestedFor(urlEqualTo("/api/v1/sections/CS000-2026-1/sessions")).withRequestBody(equalToJson("""
                [{"sessionId":"S-1","start":"2026-09-02T08:00:00+05:00","end":"2026-09-02T08:50:00+05:00","kind":"lecture","hours":1,"room":"A-204","onlineUrl":null},
                 {"sessionId":"S-2","start":"2026-09-02T08:55:00+05:00","end":"2026-09-02T09:45:00+05:00","kind":"seminar","hours":1,"room":null,"onlineUrl":"https://bbb.univ.kz/b/cs0"}]""")));
        long writes = fake.writeCalls();
        int toolCalls = toolServer.getAllServeEvents().size();

        SyncRunReport again = runner.run(job, false, false);

        assertThat(fake.writeCalls()).isEqualTo(writes);
        assertThat(toolServer.getAllServeEvents()).hasSize(toolCalls);
        assertThat(again.targets()).allSatisfy(t -> assertThat(t.noop()).isPositive());
    }

    @Test
    void a_moved_session_replaces_its_event_and_a_cancelled_one_withdraws_it() {
        timetable("S-1;CS000-2026-1;2026-09-02 08:00;2026-09-02 08:50;lecture;A-204;;",
                "S-2;CS000-2026-1;2026-09-02 08:55;2026-09-02 09:45;lecture;A-204;;");
        runner.run(job, false, false);
        fake.events.put(1L, new java.util.LinkedHashMap<>(Map.of("id", 1L, "name", "Teacher's own", "description", "bring laptops",
                "courseid", 11L, "timestart", 1L, "timeduration", 0L)));

        timetable("S-1;CS000-2026-1;2026-09-02 10:00;2026-09-02 10:50;lecture;A-204;;");
        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.events.values()).extracting(e -> e.get("description"))
                .containsExactlyInAnyOrder("Room A-204. [qatysu:S-1]", "bring laptops");
        assertThat(fake.events.values()).filteredOn(e -> "Room A-204. [qatysu:S-1]".equals(e.get("description")))
                .singleElement().satisfies(e -> assertThat(e.get("timestart"))
                        .isEqualTo(java.time.OffsetDateTime.parse("2026-09-02T10:00:00+05:00").toEpochSecond()));
    }

    @Test
    void events_created_before_a_crash_are_found_by_their_marker_and_not_duplicated() {
        timetable("S-1;CS000-2026-1;2026-09-02 08:00;2026-09-02 08:50;lecture;A-204;;",
                "S-2;CS000-2026-1;2026-09-02 08:55;2026-09-02 09:45;lecture;A-204;;");
        runner.run(job, false, false);
        // as if the process died after Moodle created the events but before the ledger recorded them
        db.jdbi().useHandle(h -> h.execute("DELETE FROM sync_ledger WHERE target = ?", MoodleEventsTarget.NAME));
        long creates = fake.calls("core_calendar_create_calendar_events");

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.events).hasSize(2);
        assertThat(fake.calls("core_calendar_create_calendar_events")).isEqualTo(creates);
    }

    @Test
    void a_session_of_one_academic_group_becomes_a_group_event() {
        fake.groups.put(77L, new java.util.LinkedHashMap<>(Map.of("id", 77L, "courseid", 11L, "name", "ИС-21-1", "idnumber", "ИС-21-1")));
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO sync_ledger (target, record_key, content_hash, fields, remote_id, suspended, updated_at)
                VALUES ('moodle.groups', 'CS000-2026-1/ИС-21-1', 'x', '{}'::jsonb, '77', false, now())"""));
        Univ.write(drop, "timetable.csv", "id;section;start;end;kind;group\nS-9;CS000-2026-1;2026-09-04 08:00;2026-09-04 08:50;lab;ИС-21-1\n");

        SyncRunReport r = runner.run(job, false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fake.events.values()).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("eventtype", "group").containsEntry("groupid", 77L);
            assertThat((String) e.get("name")).isEqualTo("Lab: Бағдарламалау негіздері 0 (ИС-21-1)");
        });
    }
}
