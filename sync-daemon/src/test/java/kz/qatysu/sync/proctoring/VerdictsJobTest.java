package kz.qatysu.sync.proctoring;

import kz.qatysu.connectors.portal.CsvOutboxSink;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import kz.qatysu.sync.support.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdicts job against the tool's feed as docs/PROCTORING.md "Verdicts API" describes it (WireMock answers
 * exactly that shape: {@code verdicts}, {@code cursor}, {@code hasMore}), into the CSV outbox sink.
 */
class VerdictsJobTest {
    @TempDir
    Path drop;
    @TempDir
    Path outbox;
    Fixture f;

    @BeforeEach
    void setUp() {
        f = new Fixture(drop);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private VerdictsJob job() {
        return new VerdictsJob(f.tool, f.runner.runs(), new PortalVerdictsTarget(new CsvOutboxSink(outbox, Clock.systemUTC())));
    }

    static String entry(long seq, String attempt, String person, String verdict, String score) {
        return """
                {"seq": %d, "attemptId": "%s", "examId": "EX-1", "examTitle": "Final: Databases; part 1", "sectionId": "CS-201-2026S",
                 "personId": "%s", "verdict": "%s", "score": %s, "comment": "second voice at 10:42",
                 "decidedBy": "staff:P-7 Aigerim Bekova", "decidedAt": "2026-12-18T09:31:05Z"}""".formatted(seq, attempt, person, verdict, score);
    }

    private void feed(String since, String cursor, boolean hasMore, String... entries) {
        f.toolServer.stubFor(get(urlEqualTo("/api/v1/proctoring/verdicts?since=" + since + "&limit=500")).willReturn(okJson(
                "{\"verdicts\": [" + String.join(",", entries) + "], \"cursor\": \"" + cursor + "\", \"hasMore\": " + hasMore + "}")));
    }

    private List<String> rows() throws Exception {
        try (var files = Files.list(outbox)) {
            return files.filter(p -> p.getFileName().toString().startsWith("verdicts-")).sorted()
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p, StandardCharsets.UTF_8).stream().skip(1);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        }
    }

    @Test
    void verdicts_reach_the_portal_sink_once_per_attempt_with_the_last_verdict_and_the_cursor_moves() throws Exception {
        // two pages; attempt A-1's verdict changed on the second page: its last entry is its verdict
        feed("0", "2", true, entry(1, "A-1", "S-0042", "SUSPICIOUS", "0.5"), entry(2, "A-2", "S-0043", "CLEAN", "1"));
        feed("2", "3", false, entry(3, "A-1", "S-0042", "VIOLATION", "0"));

        SyncRunReport r = f.runner.run(job(), false, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rows()).containsExactlyInAnyOrder(
                "CS-201-2026S;S-0042;EX-1;\"Final: Databases; part 1\";A-1;VIOLATION;0;2026-12-18T09:31:05Z",
                "CS-201-2026S;S-0043;EX-1;\"Final: Databases; part 1\";A-2;CLEAN;1;2026-12-18T09:31:05Z");
        assertThat(String.join("\n", rows())).doesNotContain("second voice");
        assertThat(f.runner.runs().cursor(VerdictsJob.CURSOR)).contains("3");

        // nothing new: the next run asks from cursor 3 and writes nothing
        feed("3", "3", false);
        SyncRunReport again = f.runner.run(job(), false, false);
        assertThat(again.status()).as(again.summary()).isEqualTo(RunStatus.SUCCEEDED);
        f.toolServer.verify(getRequestedFor(urlEqualTo("/api/v1/proctoring/verdicts?since=3&limit=500")));
        assertThat(rows()).hasSize(2);

        // the feed brings A-2 again with the same verdict (e.g. re-read): the ledger knows it, nothing is written
        feed("3", "4", false, entry(4, "A-2", "S-0043", "CLEAN", "1"));
        f.runner.run(job(), false, false);
        assertThat(rows()).hasSize(2);
        assertThat(f.runner.runs().cursor(VerdictsJob.CURSOR)).contains("4");
    }

    @Test
    void a_dry_run_writes_nothing_and_keeps_the_cursor() throws Exception {
        feed("0", "1", false, entry(1, "A-1", "S-0042", "SUSPICIOUS", "0.5"));

        SyncRunReport r = f.runner.run(job(), true, false);

        assertThat(r.status()).as(r.summary()).isEqualTo(RunStatus.DRY_RUN);
        assertThat(r.summary()).contains("portal.verdicts");
        assertThat(rows()).isEmpty();
        assertThat(f.runner.runs().cursor(VerdictsJob.CURSOR)).isEmpty();
    }

    @Test
    void a_malformed_entry_is_rejected_naming_its_field_and_the_others_go_through() throws Exception {
        feed("0", "2", false, entry(1, "A-1", "S-0042", "MAYBE", "0.5"), entry(2, "A-2", "S-0043", "CLEAN", "1"));

        SyncRunReport r = f.runner.run(job(), false, false);

        assertThat(r.sourceErrorCount()).isEqualTo(1);
        assertThat(r.summary()).contains("verdict seq 1 (A-1): verdict = 'MAYBE': not one of CLEAN, SUSPICIOUS, VIOLATION");
        assertThat(rows()).singleElement().asString().contains(";A-2;CLEAN;");
    }
}
