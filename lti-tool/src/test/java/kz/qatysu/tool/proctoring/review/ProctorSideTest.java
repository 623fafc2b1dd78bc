package kz.qatysu.tool.proctoring.review;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptEvent;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The teachers', dean's office's and proctors' side of proctoring over real HTTP against the running tool (real
 * PostgreSQL, the encrypted media store, the face analysis): exams through the API and the pages, the proctor API,
 * the review pages with their audited evidence and verdicts, a person's export and deletion, deep linking.
 */
class ProctorSideTest {
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static DeansFixture f;
    static ProctoredAttempts made;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
        made = new ProctoredAttempts(f.tool.app(), f.tool.database().jdbi());
        ok(f.api("PUT", "/api/v1/sections/OTHER-2025", "{\"title\":\"Other\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\"}",
                RunningTool.ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    // ---- exams through the API ----------------------------------------------------------------------------------

    static final String EXAM = """
            {"title": "Final of ATT101", "kind": "FINAL", "opensAt": "2026-06-01T04:00:00Z", "closesAt": "2026-06-01T07:00:00Z",
             "proctored": true, "checks": {"idPhoto": true, "faceMatch": true, "roomScan": false, "screenShare": true},
             "snapshotIntervalSeconds": 15, "campusAlternative": true, "identityTries": 3}""";

    @Test
    void the_dean_creates_an_exam_through_the_api_and_an_edit_over_a_newer_version_is_refused() {
        HttpResponse<String> created = f.api("POST", "/api/v1/sections/" + SECTION + "/exams", EXAM, RunningTool.ADMIN_TOKEN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode exam = ok(created);
        String id = exam.path("examId").asText();
        assertThat(exam.path("version").asInt()).isEqualTo(1);
        assertThat(exam.path("opensAt").asText()).isEqualTo("2026-06-01T04:00:00Z");
        assertThat(exam.path("checks").path("roomScan").asBoolean()).isFalse();
        assertThat(created.headers().firstValue("ETag")).contains("\"1\"");

        String changed = EXAM.replace("Final of ATT101", "Final exam, ATT101");
        HttpResponse<String> updated = send("PUT", "/api/v1/exams/" + id, changed, RunningTool.ADMIN_TOKEN, Map.of("If-Match", "\"1\""));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(ok(updated).path("version").asInt()).isEqualTo(2);
        // someone still holding version 1 saves: refused, nothing changed
        HttpResponse<String> stale = send("PUT", "/api/v1/exams/" + id, EXAM, RunningTool.ADMIN_TOKEN, Map.of("If-Match", "\"1\""));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("\"path\":\"version\"");
        // the version may also come in the body; without any, the server asks for it
        assertThat(f.api("PUT", "/api/v1/exams/" + id, EXAM.replace("{\"title\"", "{\"version\": 2, \"title\""),
                RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(f.api("PUT", "/api/v1/exams/" + id, EXAM, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(428);
        JsonNode stored = ok(f.api("GET", "/api/v1/exams/" + id, null, RunningTool.ADMIN_TOKEN));
        assertThat(stored.path("title").asText()).isEqualTo("Final of ATT101");
        assertThat(stored.path("version").asInt()).isEqualTo(3);
        assertThat(audit("exam.create", "proctored_exam/" + id)).isEqualTo(1);
        assertThat(audit("exam.update", "proctored_exam/" + id)).isEqualTo(2);
    }

    @Test
    void a_bad_exam_is_refused_naming_every_field_and_nothing_is_stored() {
        int before = ok(f.api("GET", "/api/v1/sections/OTHER-2025/exams", null, RunningTool.ADMIN_TOKEN)).size();
        HttpResponse<String> r = f.api("POST", "/api/v1/sections/OTHER-2025/exams", """
                {"title": " ", "kind": "ORAL", "opensAt": "tomorrow", "closesAt": "2026-06-01T07:00:00Z",
                 "checks": {"idPhoto": false, "faceMatch": true}, "snapshotIntervalSeconds": 1}""", RunningTool.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        List<String> paths = new ArrayList<>();
        ok200(r).path("details").forEach(d -> paths.add(d.path("path").asText()));
        assertThat(paths).contains("title", "kind", "opensAt", "checks.faceMatch", "snapshotIntervalSeconds");
        assertThat(ok(f.api("GET", "/api/v1/sections/OTHER-2025/exams", null, RunningTool.ADMIN_TOKEN)).size()).isEqualTo(before);
        assertThat(f.api("POST", "/api/v1/sections/NO-SUCH-SECTION/exams", EXAM, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(f.api("GET", "/api/v1/exams/exam-nope", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void proctors_are_assigned_and_removed_through_the_api_and_every_change_is_audited() {
        String id = ok(f.api("POST", "/api/v1/sections/" + SECTION + "/exams", EXAM, RunningTool.ADMIN_TOKEN)).path("examId").asText();
        assertThat(f.api("PUT", "/api/v1/exams/" + id + "/proctors/PR-77", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(201);
        assertThat(f.api("PUT", "/api/v1/exams/" + id + "/proctors/PR-77", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(ok(f.api("GET", "/api/v1/exams/" + id, null, RunningTool.ADMIN_TOKEN)).path("proctors").toString()).isEqualTo("[\"PR-77\"]");
        assertThat(f.tool.app().proctoredExams().isProctor(id, "PR-77")).isTrue();
        assertThat(f.api("DELETE", "/api/v1/exams/" + id + "/proctors/PR-77", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(204);
        assertThat(f.api("DELETE", "/api/v1/exams/" + id + "/proctors/PR-77", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(audit("exam.proctor.assign", "proctored_exam/" + id)).isEqualTo(1);
        assertThat(audit("exam.proctor.unassign", "proctored_exam/" + id)).isEqualTo(1);
    }

    // ---- exams on the pages ---------------------------------------------------------------------------------------

    @Test
    void a_teacher_creates_an_exam_in_the_institution_time_zone_and_a_save_over_a_newer_version_is_refused() {
        DeansFixture.Launch t = f.teacher();
        String page = t.browser().get(f.tool.baseUrl() + t.base() + "/exams").body();
        String csrf = csrf(page);
        Map<String, String> form = new HashMap<>(Map.of("_csrf", csrf, "title", "Midterm 1", "kind", "MIDTERM",
                "opensAt", "2026-10-05T09:00", "closesAt", "2026-10-05T11:30", "proctored", "on", "idPhoto", "on",
                "faceMatch", "on", "snapshotIntervalSeconds", "20", "identityTries", "2"));
        HttpResponse<String> created = t.browser().postForm(f.tool.baseUrl() + t.base() + "/exams", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String examPath = created.headers().firstValue("Location").orElseThrow().replaceAll("\\?.*", "");
        assertThat(examPath).endsWith("/edit");
        String examBase = examPath.replaceAll("/edit$", "");
        String examId = examPath.replaceAll("/edit$", "").substring(examPath.replaceAll("/edit$", "").lastIndexOf('/') + 1);
        Exam stored = f.tool.app().proctoredExams().find(examId).orElseThrow();
        // 09:00 in Asia/Almaty (UTC+5) is 04:00 UTC
        assertThat(stored.opensAt()).hasToString("2026-10-05T04:00:00Z");
        assertThat(stored.sectionId()).isEqualTo(SECTION);
        assertThat(stored.createdBy()).isEqualTo("T-7");
        assertThat(stored.checks().roomScan()).isFalse();
        String edit = t.browser().get(f.tool.baseUrl() + examPath).body();
        assertThat(edit).contains("value=\"2026-10-05T09:00\"").contains("name=\"version\" value=\"1\"");

        form.put("version", "1");
        form.put("title", "Midterm 1 (changed)");
        assertThat(t.browser().postForm(f.tool.baseUrl() + examPath, form).statusCode()).isEqualTo(303);
        form.put("title", "Midterm 1 (a stale tab)");
        HttpResponse<String> stale = t.browser().postForm(f.tool.baseUrl() + examPath, form);
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("data-field=\"version\"").contains("Midterm 1 (changed)");
        assertThat(f.tool.app().proctoredExams().find(examId).orElseThrow().title()).isEqualTo("Midterm 1 (changed)");

        // a bad form: every wrong field named, nothing stored
        Map<String, String> bad = new HashMap<>(form);
        bad.put("closesAt", "2026-10-05T08:00");
        bad.put("identityTries", "0");
        bad.remove("idPhoto");
        bad.remove("version");
        HttpResponse<String> refused = t.browser().postForm(f.tool.baseUrl() + t.base() + "/exams", bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("data-field=\"closesAt\"", "data-field=\"identityTries\"", "data-field=\"checks.faceMatch\"");
        // without the CSRF token nothing happens
        Map<String, String> forged = new HashMap<>(form);
        forged.remove("_csrf");
        assertThat(t.browser().postForm(f.tool.baseUrl() + t.base() + "/exams", forged).statusCode()).isEqualTo(403);
        assertThat(audit("exam.create", "proctored_exam/" + examId)).isEqualTo(1);

        // proctors by person id, on the page
        HttpResponse<String> assigned = t.browser().postForm(f.tool.baseUrl() + examBase + "/proctors", Map.of("_csrf", csrf, "personId", "PR-5"));
        assertThat(assigned.statusCode()).isEqualTo(303);
        assertThat(t.browser().get(f.tool.baseUrl() + examPath).body()).contains("<code>PR-5</code>");
        assertThat(t.browser().postForm(f.tool.baseUrl() + examBase + "/proctors", Map.of("_csrf", csrf, "personId", " ")).statusCode())
                .isEqualTo(400);
        assertThat(t.browser().postForm(f.tool.baseUrl() + examBase + "/proctors/PR-5/remove", Map.of("_csrf", csrf)).statusCode())
                .isEqualTo(303);
        assertThat(f.tool.app().proctoredExams().proctors(examId)).isEmpty();
    }

    @Test
    void the_deans_office_manages_a_sections_exams_on_its_admin_pages() {
        Browser dean = f.admin();
        String page = dean.get(f.tool.baseUrl() + "/admin/sections/OTHER-2025/exams").body();
        HttpResponse<String> created = dean.postForm(f.tool.baseUrl() + "/admin/sections/OTHER-2025/exams", Map.of("_csrf", csrf(page),
                "title", "Final (dean)", "kind", "FINAL", "opensAt", "2026-12-20T10:00", "closesAt", "2026-12-20T13:00"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/admin/sections/OTHER-2025/exams/exam-");
        String examPath = location.replaceAll("\\?.*", "").replaceAll("/edit$", "");
        String examId = examPath.substring(examPath.lastIndexOf('/') + 1);
        Exam e = f.tool.app().proctoredExams().find(examId).orElseThrow();
        assertThat(e.createdBy()).startsWith("web:");
        assertThat(e.proctored()).isFalse();
        assertThat(dean.get(f.tool.baseUrl() + "/admin/sections/OTHER-2025/exams").body()).contains("Final (dean)")
                .contains("/admin/proctoring/exams/" + examId);
        // another section's exam is not reachable under this section
        assertThat(dean.get(f.tool.baseUrl() + "/admin/sections/" + SECTION + "/exams/" + examId + "/edit").statusCode()).isEqualTo(404);
        assertThat(dean.get(f.tool.baseUrl() + "/admin/sections/NO-SUCH/exams").statusCode()).isEqualTo(404);
    }

    // ---- the proctor API -------------------------------------------------------------------------------------------

    @Test
    void the_proctor_api_lists_attempts_with_trust_score_flags_and_verdict_and_filters_by_state() {
        Exam exam = made.exam("exam-api-list", SECTION);
        Attempt p1 = made.monitored(exam, "P-1001");
        made.consented(exam, "P-1002");
        String proctor = issue("proctor-integration", "proctor", null);

        JsonNode all = ok(f.api("GET", "/api/v1/proctoring/attempts?examId=" + exam.id(), null, proctor));
        assertThat(all.size()).isEqualTo(2);
        JsonNode row = find(all, "P-1001");
        assertThat(row.path("attemptId").asText()).isEqualTo(p1.id());
        assertThat(row.path("sectionId").asText()).isEqualTo(SECTION);
        assertThat(row.path("state").asText()).isEqualTo("IN_PROGRESS");
        assertThat(row.path("startedAt").asText()).isNotEmpty();
        assertThat(row.path("endedAt").isNull()).isTrue();
        assertThat(row.path("flags").path("MULTIPLE_FACES").asInt()).isEqualTo(1);
        int deducted = 0;
        for (var it = row.path("flags").fields(); it.hasNext(); ) {
            var e = it.next();
            deducted += EventType.valueOf(e.getKey()).weight() * e.getValue().asInt();
        }
        assertThat(row.path("trustScore").asInt()).isEqualTo(Math.max(0, 100 - deducted)).isLessThan(100);
        assertThat(row.path("verdict").isNull()).isTrue();
        assertThat(ok(f.api("GET", "/api/v1/proctoring/attempts?examId=" + exam.id() + "&state=IN_PROGRESS", null, proctor)))
                .hasSize(1);
        assertThat(ok(f.api("GET", "/api/v1/proctoring/attempts?sectionId=OTHER-2025&examId=" + exam.id(), null, proctor))).isEmpty();
        HttpResponse<String> badState = f.api("GET", "/api/v1/proctoring/attempts?state=FINISHED", null, proctor);
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.body()).contains("\"path\":\"state\"");

        JsonNode events = ok(f.api("GET", "/api/v1/proctoring/attempts/" + p1.id() + "/events", null, proctor));
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).contains("CONSENT_GIVEN", "ID_VERIFIED", "ROOM_SCAN_RECORDED", "ATTEMPT_STARTED", "MULTIPLE_FACES");
        JsonNode multiple = events.findParents("type").stream().filter(e -> e.path("type").asText().equals("MULTIPLE_FACES"))
                .findFirst().orElseThrow();
        assertThat(multiple.path("severity").asText()).isEqualTo("VIOLATION");
        assertThat(multiple.path("snapshotId").asText()).isNotEmpty();
        assertThat(f.api("GET", "/api/v1/proctoring/attempts/att-nope/events", null, proctor).statusCode()).isEqualTo(404);
    }

    @Test
    void a_proctor_token_issued_for_a_person_sees_only_the_exams_that_person_proctors() {
        Exam mine = made.exam("exam-mine", SECTION);
        Exam theirs = made.exam("exam-theirs", SECTION);
        Attempt inMine = made.consented(mine, "P-1001");
        Attempt inTheirs = made.consented(theirs, "P-1001");
        ok(f.api("PUT", "/api/v1/exams/" + mine.id() + "/proctors/PR-1", null, RunningTool.ADMIN_TOKEN));
        String personal = issue("proctor PR-1", "proctor", "PR-1");

        JsonNode seen = ok(f.api("GET", "/api/v1/proctoring/attempts?sectionId=" + SECTION, null, personal));
        List<String> exams = new ArrayList<>();
        seen.forEach(r -> exams.add(r.path("examId").asText()));
        assertThat(exams).contains(mine.id()).doesNotContain(theirs.id());
        assertThat(ok(f.api("GET", "/api/v1/proctoring/attempts?examId=" + theirs.id(), null, personal))).isEmpty();
        assertThat(f.api("GET", "/api/v1/proctoring/attempts/" + inTheirs.id() + "/events", null, personal).statusCode()).isEqualTo(403);
        assertThat(f.api("PUT", "/api/v1/proctoring/attempts/" + inTheirs.id() + "/verdict", "{\"verdict\":\"CLEAN\"}", personal)
                .statusCode()).isEqualTo(403);
        assertThat(f.api("GET", "/api/v1/proctoring/attempts/" + inMine.id() + "/events", null, personal).statusCode()).isEqualTo(200);
        // an integration's token (no person) and the admin see both
        String integration = issue("proctoring integration", "proctor", null);
        JsonNode both = ok(f.api("GET", "/api/v1/proctoring/attempts?sectionId=" + SECTION, null, integration));
        List<String> all = new ArrayList<>();
        both.forEach(r -> all.add(r.path("examId").asText()));
        assertThat(all).contains(mine.id(), theirs.id());
        // the token's person is kept and shown when issued
        HttpResponse<String> badPerson = f.api("POST", "/api/v1/admin/tokens", "{\"name\":\"x\",\"scopes\":[\"proctor\"],\"personId\":7}",
                RunningTool.ADMIN_TOKEN);
        assertThat(badPerson.statusCode()).isEqualTo(400);
        assertThat(badPerson.body()).contains("\"path\":\"personId\"");
    }

    @Test
    void a_verdict_is_kept_with_its_history_and_audited_and_a_wrong_one_is_refused_naming_the_field() {
        Exam exam = made.exam("exam-verdicts", SECTION);
        Attempt a = made.consented(exam, "P-1002");
        Attempt pending = made.attempts().open(exam, "P-1001");
        String personal = issue("proctor PR-2", "proctor", "PR-2");
        ok(f.api("PUT", "/api/v1/exams/" + exam.id() + "/proctors/PR-2", null, RunningTool.ADMIN_TOKEN));
        String path = "/api/v1/proctoring/attempts/" + a.id() + "/verdict";

        HttpResponse<String> noComment = f.api("PUT", path, "{\"verdict\":\"SUSPICIOUS\"}", personal);
        assertThat(noComment.statusCode()).isEqualTo(400);
        assertThat(noComment.body()).contains("\"path\":\"comment\"");
        HttpResponse<String> wrong = f.api("PUT", path, "{\"verdict\":\"GUILTY\",\"comment\":\"x\"}", personal);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("\"path\":\"verdict\"");
        assertThat(made.attempts().repository().verdict(a.id())).isEmpty();

        JsonNode v = ok(f.api("PUT", path, "{\"verdict\":\"SUSPICIOUS\",\"comment\":\"A second voice at 10:42\"}", personal));
        assertThat(v.path("decidedBy").asText()).isEqualTo("PR-2");
        ok(f.api("PUT", path, "{\"verdict\":\"CLEAN\",\"comment\":\"The voice was the invigilator on campus\"}", RunningTool.ADMIN_TOKEN));
        assertThat(made.attempts().repository().verdictHistory(a.id())).extracting(x -> x.verdict().name())
                .containsExactly("SUSPICIOUS", "CLEAN");
        JsonNode row = find(ok(f.api("GET", "/api/v1/proctoring/attempts?examId=" + exam.id(), null, personal)), "P-1002");
        assertThat(row.path("verdict").path("verdict").asText()).isEqualTo("CLEAN");
        assertThat(row.path("verdict").path("decidedBy").asText()).isEqualTo("admin");
        assertThat(audit("proctoring.review.verdict", "proctoring_attempt/" + a.id())).isEqualTo(2);
        // nothing to judge before consent
        assertThat(f.api("PUT", "/api/v1/proctoring/attempts/" + pending.id() + "/verdict", "{\"verdict\":\"CLEAN\"}", personal)
                .statusCode()).isEqualTo(409);
    }

    // ---- the review pages --------------------------------------------------------------------------------------------

    @Test
    void the_teacher_reviews_an_attempt_with_its_evidence_and_every_view_is_audited() throws Exception {
        Exam exam = made.exam("exam-pages", SECTION);
        Attempt a = made.monitored(exam, "P-1001");
        made.consented(exam, "P-1002");
        DeansFixture.Launch t = f.teacher();
        String list = t.browser().get(f.tool.baseUrl() + t.base() + "/exams/" + exam.id() + "/attempts").body();
        assertThat(list).contains("P-1001", "P-1002", "data-flag=\"MULTIPLE_FACES\"");
        String flagged = t.browser().get(f.tool.baseUrl() + t.base() + "/exams/" + exam.id() + "/attempts?flag=MULTIPLE_FACES").body();
        assertThat(flagged).contains("P-1001").doesNotContain("P-1002");
        assertThat(t.browser().get(f.tool.baseUrl() + t.base() + "/exams/" + exam.id() + "/attempts?flag=BOGUS").statusCode()).isEqualTo(400);

        String attemptUrl = t.base() + "/exams/" + exam.id() + "/attempts/" + a.id();
        String page = t.browser().get(f.tool.baseUrl() + attemptUrl).body();
        assertThat(page).contains("id=\"live-photo\"", "id=\"id-photo\"", "id=\"room-scan\"", "id=\"recording\"",
                "data-type=\"MULTIPLE_FACES\"", "id=\"trust\"");
        List<String> media = new ArrayList<>();
        Matcher m = Pattern.compile("src=\"(" + Pattern.quote(attemptUrl) + "/media/[^\"]+)\"").matcher(page);
        while (m.find()) {
            media.add(m.group(1));
        }
        assertThat(media).hasSizeGreaterThanOrEqualTo(4);
        long before = mediaAudit("T-7");
        for (String url : media.stream().distinct().toList()) {
            HttpResponse<byte[]> img = f.bytes(t.browser(), url);
            assertThat(img.statusCode()).isEqualTo(200);
            assertThat(img.headers().firstValue("Content-Type").orElse("")).startsWith("image/");
            assertThat(img.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        }
        assertThat(mediaAudit("T-7")).isEqualTo(before + media.stream().distinct().count());

        // the recording, whole and in ranges (a player seeking)
        byte[] expected = ProctoredAttempts.recordingBytes();
        HttpResponse<byte[]> whole = withCookies(t.browser(), attemptUrl + "/recording", Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.body()).isEqualTo(expected);
        HttpResponse<byte[]> part = withCookies(t.browser(), attemptUrl + "/recording", Map.of("Range", "bytes=69990-70009"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 69990-70009/" + expected.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(expected, 69990, 70010));
        HttpResponse<byte[]> tail = withCookies(t.browser(), attemptUrl + "/recording", Map.of("Range", "bytes=-10"));
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(expected, expected.length - 10, expected.length));
        assertThat(withCookies(t.browser(), attemptUrl + "/recording", Map.of("Range", "bytes=999999-")).statusCode()).isEqualTo(416);
        // a player's range requests are one viewing: one audit row per viewer and recording within 5 minutes
        assertThat(mediaAudit("T-7")).isEqualTo(before + media.stream().distinct().count() + 1);

        // a key that is not this attempt's evidence is not served, even a real one
        Attempt other = made.monitored(made.exam("exam-pages-2", SECTION), "P-1002");
        String otherKey = other.livePhotoKey().orElseThrow();
        assertThat(f.bytes(t.browser(), attemptUrl + "/media/" + otherKey).statusCode()).isEqualTo(404);

        // the verdict from the page, with its history
        String csrf = csrf(page);
        HttpResponse<String> noComment = t.browser().postForm(f.tool.baseUrl() + attemptUrl + "/verdict",
                Map.of("_csrf", csrf, "verdict", "VIOLATION", "comment", ""));
        assertThat(noComment.statusCode()).isEqualTo(400);
        assertThat(noComment.body()).contains("id=\"verdict-error\"");
        assertThat(t.browser().postForm(f.tool.baseUrl() + attemptUrl + "/verdict", Map.of("verdict", "CLEAN")).statusCode()).isEqualTo(403);
        HttpResponse<String> decided = t.browser().postForm(f.tool.baseUrl() + attemptUrl + "/verdict",
                Map.of("_csrf", csrf, "verdict", "VIOLATION", "comment", "Two faces <b>at once</b>"));
        assertThat(decided.statusCode()).isEqualTo(303);
        String after = t.browser().get(f.tool.baseUrl() + attemptUrl).body();
        assertThat(after).contains("id=\"verdict-history\"").contains("Two faces &lt;b&gt;at once&lt;/b&gt;").doesNotContain("<b>at once");
        assertThat(made.attempts().repository().verdict(a.id()).orElseThrow().decidedBy()).isEqualTo("T-7");
    }

    @Test
    void a_student_and_a_teacher_of_another_exams_section_cannot_read_a_recording() {
        Exam exam = made.exam("exam-private", SECTION);
        Attempt a = made.monitored(exam, "P-1002");
        String path = "/exams/" + exam.id() + "/attempts/" + a.id();
        DeansFixture.Launch student = f.student("P-1001", "51", "Student A");
        DeansFixture.Launch own = f.student("P-1002", "52", "Student B");
        assertThat(f.bytes(student.browser(), student.base() + path + "/recording").statusCode()).isEqualTo(403);
        assertThat(f.bytes(own.browser(), own.base() + path + "/recording").statusCode()).isEqualTo(403);
        assertThat(f.bytes(own.browser(), own.base() + path).statusCode()).isEqualTo(403);
        // the teacher of another section does not see this exam at all
        Exam elsewhere = made.exam("exam-elsewhere", "OTHER-2025");
        Attempt b = made.monitored(elsewhere, "P-1001");
        DeansFixture.Launch teacher = f.teacher();
        assertThat(f.bytes(teacher.browser(), teacher.base() + "/exams/" + elsewhere.id() + "/attempts/" + b.id() + "/recording")
                .statusCode()).isEqualTo(404);
        // a proctor of another exam neither (API)
        String personal = issue("proctor PR-9", "proctor", "PR-9");
        ok(f.api("PUT", "/api/v1/exams/" + elsewhere.id() + "/proctors/PR-9", null, RunningTool.ADMIN_TOKEN));
        assertThat(f.api("GET", "/api/v1/proctoring/attempts/" + a.id() + "/events", null, personal).statusCode()).isEqualTo(403);
        // the dean's office may
        assertThat(f.bytes(f.admin(), "/admin/proctoring/exams/" + exam.id() + "/attempts/" + a.id() + "/recording").statusCode())
                .isEqualTo(200);
    }

    // ---- a person's data ---------------------------------------------------------------------------------------------

    @Test
    void the_deans_office_exports_and_deletes_a_persons_media_and_the_attempts_keep_their_events() throws Exception {
        Exam exam = made.exam("exam-person", SECTION);
        Attempt a = made.monitored(exam, "P-3003");
        // an edx-exams roster tied the person's portal login to their learner id on an Open edX platform
        f.tool.database().jdbi().useHandle(h -> {
            h.execute("INSERT INTO person_login (login, person_id, updated_at) VALUES ('p3003', 'P-3003', now())");
            h.execute("""
                    INSERT INTO openedx_learner (platform_id, subject, username, learned_by, learned_at)
                    SELECT min(id), 'c1d0e7a4-3b8e-4f1a-9d2c-5e6f7a8b9c0d', 'P3003', 'teacher', now() FROM platform""");
        });
        HttpResponse<byte[]> zip = HTTP.send(HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + "/api/v1/proctoring/persons/P-3003/export"))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        Map<String, byte[]> files = unzip(zip.body());
        assertThat(files).containsKeys("manifest.json", "attempts.json");
        assertThat(files.keySet().stream().filter(n -> n.startsWith("media/")).count()).isGreaterThanOrEqualTo(6);
        JsonNode attempts = DeansFixture.JSON.readTree(files.get("attempts.json"));
        assertThat(attempts.path("attempts").get(0).path("attemptId").asText()).isEqualTo(a.id());
        assertThat(attempts.path("attempts").get(0).path("events").toString()).contains("MULTIPLE_FACES");
        assertThat(attempts.path("openEdxLearnerIds").get(0).path("learnerId").asText()).isEqualTo("c1d0e7a4-3b8e-4f1a-9d2c-5e6f7a8b9c0d");
        assertThat(attempts.path("openEdxLearnerIds").get(0).path("username").asText()).isEqualTo("P3003");
        assertThat(audit("proctoring.person.export", "person/P-3003")).isEqualTo(1);

        // on the page: a wrong confirmation deletes nothing
        Browser dean = f.admin();
        String page = dean.get(f.tool.baseUrl() + "/admin/proctoring/persons/P-3003").body();
        assertThat(page).contains(a.id());
        HttpResponse<String> wrong = dean.postForm(f.tool.baseUrl() + "/admin/proctoring/persons/P-3003/delete",
                Map.of("_csrf", csrf(page), "confirm", "P-3004"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(f.tool.app().proctoringAttempts().repository().find(a.id()).orElseThrow().livePhotoKey()).isPresent();
        assertThat(mediaCount("P-3003")).isGreaterThan(0);
        HttpResponse<String> deleted = dean.postForm(f.tool.baseUrl() + "/admin/proctoring/persons/P-3003/delete",
                Map.of("_csrf", csrf(page), "confirm", "P-3003"));
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(mediaCount("P-3003")).isZero();
        assertThat(audit("proctoring.person.delete", "person/P-3003")).isEqualTo(1);
        // the attempt keeps its events; the page says its media is gone
        assertThat(ok(f.api("GET", "/api/v1/proctoring/attempts/" + a.id() + "/events", null, RunningTool.ADMIN_TOKEN)).toString())
                .contains("MULTIPLE_FACES");
        String review = dean.get(f.tool.baseUrl() + "/admin/proctoring/exams/" + exam.id() + "/attempts/" + a.id()).body();
        assertThat(review).contains("id=\"media-deleted\"", "id=\"no-recording\"").doesNotContain("id=\"live-photo\"");
        assertThat(f.bytes(dean, "/admin/proctoring/exams/" + exam.id() + "/attempts/" + a.id() + "/recording").statusCode()).isEqualTo(404);
        // and the API deletion answers with the count (nothing left now)
        assertThat(ok(f.api("DELETE", "/api/v1/proctoring/persons/P-3003/media", null, RunningTool.ADMIN_TOKEN))
                .path("deletedObjects").asInt()).isZero();
    }

    // ---- deep linking ------------------------------------------------------------------------------------------------

    @Test
    void the_deep_linking_page_offers_the_sections_exams_and_the_item_names_the_exam() throws Exception {
        Exam exam = made.exam("exam-dl", SECTION);
        Exam other = made.exam("exam-dl-other", "OTHER-2025");
        Browser b = new Browser();
        var r = new LtiFlow(f.tool, f.platform, b).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleTeacher(f.platform, nonce, target);
            c.remove(LaunchClaims.LTI + "resource_link");
            c.put(LaunchClaims.LTI + "message_type", "LtiDeepLinkingRequest");
            c.put("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings", Map.of(
                    "accept_types", List.of("ltiResourceLink"), "accept_presentation_document_targets", List.of("iframe"),
                    "accept_multiple", true, "deep_link_return_url", f.platform.issuer + "/mod/lti/contentitem_return.php"));
            return c;
        });
        String base = r.headers().firstValue("Location").orElseThrow().replaceAll("/$", "").replaceAll("/deep-linking$", "");
        String page = b.get(f.tool.baseUrl() + base + "/deep-linking").body();
        assertThat(page).contains("value=\"proctored-exam:" + exam.id() + "\"").doesNotContain(other.id());
        String answer = b.postRaw(f.tool.baseUrl() + base + "/deep-linking", "_csrf=" + csrf(page)
                + "&resource=proctored-exam%3A" + exam.id() + "&resource=proctored-exam%3A" + other.id()).body();
        Matcher jwt = Pattern.compile("name=\"JWT\" value=\"([^\"]+)\"").matcher(answer);
        assertThat(jwt.find()).as(answer).isTrue();
        JsonNode claims = DeansFixture.JSON.readTree(Base64.getUrlDecoder().decode(jwt.group(1).split("\\.")[1]));
        JsonNode items = claims.path("https://purl.imsglobal.org/spec/lti-dl/claim/content_items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("custom").path("qatysu_resource").asText()).isEqualTo("proctored-exam");
        assertThat(items.get(0).path("custom").path("qatysu_exam").asText()).isEqualTo(exam.id());
        assertThat(items.get(0).has("lineItem")).isFalse();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    static String issue(String name, String scope, String personId) {
        String person = personId == null ? "" : ",\"personId\":\"" + personId + "\"";
        JsonNode t = ok(f.api("POST", "/api/v1/admin/tokens", "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]" + person + "}",
                RunningTool.ADMIN_TOKEN));
        assertThat(t.path("personId").isNull() ? null : t.path("personId").asText()).isEqualTo(personId);
        return t.path("token").asText();
    }

    static JsonNode find(JsonNode rows, String personId) {
        for (JsonNode r : rows) {
            if (r.path("personId").asText().equals(personId)) {
                return r;
            }
        }
        throw new AssertionError("no row of " + personId + " in " + rows);
    }

    static JsonNode ok200(HttpResponse<String> r) {
        try {
            return DeansFixture.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static long audit(String action, String subject) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM admin_audit WHERE action = :a AND subject = :s")
                .bind("a", action).bind("s", subject).mapTo(Long.class).one());
    }

    static long mediaAudit(String actor) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM proctoring_media_audit WHERE actor = :a")
                .bind("a", actor).mapTo(Long.class).one());
    }

    static long mediaCount(String personId) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM proctoring_media WHERE person_id = :p")
                .bind("p", personId).mapTo(Long.class).one());
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1);
    }

    static HttpResponse<String> send(String method, String path, String json, String token, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> withCookies(Browser browser, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + path)).GET()
                .header("Cookie", browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
