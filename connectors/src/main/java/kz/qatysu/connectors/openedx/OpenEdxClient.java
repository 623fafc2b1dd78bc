package kz.qatysu.connectors.openedx;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.openedx.OpenEdxModel.Account;
import kz.qatysu.connectors.openedx.OpenEdxModel.BulkEnrollResult;
import kz.qatysu.connectors.openedx.OpenEdxModel.Cohort;
import kz.qatysu.connectors.openedx.OpenEdxModel.CohortAdd;
import kz.qatysu.connectors.openedx.OpenEdxModel.Grade;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open edX's REST APIs ({@code shared/integration/openedx-api.md}): an OAuth2 client-credentials JWT
 * ({@code Authorization: JWT …}, cached until a minute before it expires, fetched again after a 401), account
 * look-ups, bulk enrolment (unknown e-mails become enrolment-allowed records that apply at first sign-in), cohorts
 * and course grades. Accounts are never created here: the registration API is limited to a few calls a week per IP.
 */
public final class OpenEdxClient {
    private final HttpConnector http;
    private final String clientId;
    private final Secret clientSecret;
    private final Clock clock;
    private final AtomicLong writeCalls = new AtomicLong();
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    public OpenEdxClient(HttpConnector http, String clientId, Secret clientSecret, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.clock = clock;
    }

    public long writeCalls() {
        return writeCalls.get();
    }

    /** Existing accounts among {@code usernames} (one call per 100 names); missing names have no account yet. */
    public List<Account> accounts(List<String> usernames) {
        List<Account> out = new ArrayList<>();
        for (int i = 0; i < usernames.size(); i += 100) {
            List<String> part = usernames.subList(i, Math.min(usernames.size(), i + 100));
            HttpResult r = authorized(HttpRequestSpec.get("/api/user/v1/accounts?username=" + enc(String.join(",", part))));
            if (r.status() == 404) {
                continue;
            }
            JsonNode b = ok("GET /api/user/v1/accounts", r);
            JsonNode items = b.isArray() ? b : b.path("results");
            items.forEach(a -> out.add(new Account(a.path("username").asText(), a.path("email").asText(""),
                    a.path("name").asText(""), a.path("is_active").asBoolean(true))));
        }
        return out;
    }

    /**
     * Enrols (or unenrols) {@code identifiers} (usernames or e-mails) in one course, optionally into a cohort.
     * Per-identifier problems come back in the results, they do not fail the call.
     */
    public List<BulkEnrollResult> bulkEnroll(String courseId, List<String> identifiers, String cohort, boolean enroll) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifiers", String.join(",", identifiers));
        body.put("courses", courseId);
        if (cohort != null) {
            body.put("cohorts", cohort);
        }
        body.put("action", enroll ? "enroll" : "unenroll");
        body.put("auto_enroll", true);
        body.put("email_students", false);
        writeCalls.incrementAndGet();
        HttpResult r = authorized(HttpRequestSpec.json("POST", "/api/bulk_enroll/v1/bulk_enroll/", Json.write(body)).idempotent(true));
        JsonNode b = ok("POST /api/bulk_enroll/v1/bulk_enroll/", r);
        List<BulkEnrollResult> out = new ArrayList<>();
        b.path("courses").path(courseId).path("results").forEach(x -> out.add(new BulkEnrollResult(
                x.path("identifier").asText(),
                x.path("after").path("enrollment").asBoolean(false),
                x.path("after").path("allowed").asBoolean(false),
                x.path("after").path("user").asBoolean(false),
                x.path("invalidIdentifier").asBoolean(false),
                x.path("error").asBoolean(false))));
        return out;
    }

    public List<Cohort> cohorts(String courseId) {
        List<Cohort> out = new ArrayList<>();
        for (int page = 1; page < 1000; page++) {
            HttpResult r = authorized(HttpRequestSpec.get("/api/cohorts/v1/courses/" + enc(courseId) + "/cohorts/?page_size=100&page=" + page));
            if (r.status() == 404 && page > 1) {
                break; // DRF answers 404 for a page past the end
            }
            JsonNode b = ok("GET cohorts of " + courseId, r);
            JsonNode items = b.isArray() ? b : b.path("results");
            items.forEach(c -> out.add(new Cohort(c.path("id").asLong(), c.path("name").asText(), c.path("user_count").asInt(),
                    c.path("assignment_type").asText())));
            if (b.isArray() || b.path("next").isNull() || b.path("next").isMissingNode()) {
                break;
            }
        }
        return out;
    }

    /** Turns cohorts on for a course (they must be on before cohorts can be created or used). Returns whether it changed. */
    public boolean ensureCohorted(String courseId) {
        String path = "/api/cohorts/v1/settings/" + enc(courseId);
        JsonNode b = ok("GET cohort settings of " + courseId, authorized(HttpRequestSpec.get(path)));
        if (b.path("is_cohorted").asBoolean(false)) {
            return false;
        }
        writeCalls.incrementAndGet();
        ok("PUT cohort settings of " + courseId, authorized(HttpRequestSpec.json("PUT", path, "{\"is_cohorted\":true}")));
        return true;
    }

    public Cohort createCohort(String courseId, String name) {
        writeCalls.incrementAndGet();
        HttpResult r = authorized(HttpRequestSpec.json("POST", "/api/cohorts/v1/courses/" + enc(courseId) + "/cohorts/",
                Json.write(Map.of("name", name, "assignment_type", "manual"))));
        JsonNode c = ok("create cohort " + name, r);
        return new Cohort(c.path("id").asLong(), c.path("name").asText(name), c.path("user_count").asInt(), "manual");
    }

    /** Adds users (usernames or e-mails) to a cohort; a learner is in one cohort per course, so others are moved. */
    public CohortAdd addToCohort(String courseId, long cohortId, List<String> users) {
        writeCalls.incrementAndGet();
        HttpResult r = authorized(HttpRequestSpec.json("POST", "/api/cohorts/v1/courses/" + enc(courseId) + "/cohorts/" + cohortId + "/users",
                Json.write(Map.of("users", users))).idempotent(true));
        JsonNode b = ok("add users to cohort " + cohortId, r);
        return new CohortAdd(names(b.path("added")), names(b.path("changed")), names(b.path("present")),
                names(b.path("unknown")), names(b.path("preassigned")), names(b.path("invalid")));
    }

    /** Every active learner's course grade, following the cursor pages. */
    public List<Grade> courseGrades(String courseId) {
        List<Grade> out = new ArrayList<>();
        String path = "/api/grades/v1/courses/" + enc(courseId) + "/?page_size=100";
        for (int guard = 0; path != null && guard < 100_000; guard++) {
            JsonNode b = ok("GET grades of " + courseId, authorized(HttpRequestSpec.get(path)));
            b.path("results").forEach(g -> out.add(new Grade(g.path("username").asText(), g.path("course_id").asText(courseId),
                    g.path("passed").asBoolean(), g.path("percent").asDouble(), g.path("letter_grade").isNull() ? null
                    : g.path("letter_grade").asText(null))));
            JsonNode next = b.path("next");
            path = next.isMissingNode() || next.isNull() || next.asText().isBlank() ? null : next.asText();
        }
        return out;
    }

    private HttpResult authorized(HttpRequestSpec spec) {
        HttpResult r = http.send(spec.withHeader("Authorization", "JWT " + token()).withHeader("Accept", "application/json"));
        if (r.status() == 401) {
            synchronized (this) {
                tokenExpires = Instant.EPOCH; // revoked or rotated: fetch a new one once
            }
            r = http.send(spec.withHeader("Authorization", "JWT " + token()).withHeader("Accept", "application/json"));
        }
        return r;
    }

    synchronized String token() {
        if (token != null && clock.instant().isBefore(tokenExpires)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret.reveal())
                + "&token_type=jwt";
        HttpResult r = http.send(HttpRequestSpec.form("/oauth2/access_token", form, true).describedAs("POST /oauth2/access_token"));
        if (!r.isSuccess()) {
            throw new HttpFailure(http.name(), HttpFailure.Kind.STATUS, r.status(), 1, "OAuth2 client-credentials token request for client '"
                    + clientId + "' answered HTTP " + r.status() + ": " + r.excerpt(200), null);
        }
        JsonNode b = Json.parse(http.name(), "POST /oauth2/access_token", r);
        token = b.path("access_token").asText();
        long expiresIn = b.path("expires_in").asLong(3600);
        tokenExpires = clock.instant().plus(Duration.ofSeconds(Math.max(0, expiresIn - 60)));
        return token;
    }

    private JsonNode ok(String what, HttpResult r) {
        if (!r.isSuccess()) {
            throw new HttpFailure(http.name(), HttpFailure.Kind.STATUS, r.status(), 1, what + " answered HTTP " + r.status() + ": " + r.excerpt(300), null);
        }
        return Json.parse(http.name(), what, r);
    }

    private static List<String> names(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.isObject() ? x.path("username").asText(x.path("email").asText()) : x.asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
