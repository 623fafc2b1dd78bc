package kz.qatysu.connectors.qatysu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.qatysu.ToolModel.Admission;
import kz.qatysu.connectors.qatysu.ToolModel.Change;
import kz.qatysu.connectors.qatysu.ToolModel.Changes;
import kz.qatysu.connectors.qatysu.ToolModel.EnrolmentBody;
import kz.qatysu.connectors.qatysu.ToolModel.MarkBody;
import kz.qatysu.connectors.qatysu.ToolModel.ScoreBody;
import kz.qatysu.connectors.qatysu.ToolModel.SectionBody;
import kz.qatysu.connectors.qatysu.ToolModel.SessionBody;
import kz.qatysu.connectors.qatysu.ToolModel.Standing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Qatysu tool's REST API, reached like any other outside system: Bearer token, JSON, {@code /api/v1}.
 * Every write is a {@code PUT} of the full state of one section or session, so it is idempotent and safe to
 * repeat after a timeout or a crash.
 */
public final class ToolClient {
    private final HttpConnector http;
    private final Secret token;
    private final AtomicLong writeCalls = new AtomicLong();

    public ToolClient(HttpConnector http, Secret token) {
        this.http = Objects.requireNonNull(http, "http");
        this.token = Objects.requireNonNull(token, "token");
    }

    public long writeCalls() {
        return writeCalls.get();
    }

    public void putSection(String sectionId, SectionBody body) {
        put("/api/v1/sections/" + seg(sectionId), Json.write(body));
    }

    /** The full enrolment list of a section. */
    public void putEnrolments(String sectionId, List<EnrolmentBody> enrolments) {
        put("/api/v1/sections/" + seg(sectionId) + "/enrolments", Json.write(enrolments));
    }

    /** The full planned timetable of a section; sessions missing from it are cancelled by the tool (marks kept). */
    public void putSessions(String sectionId, List<SessionBody> sessions) {
        put("/api/v1/sections/" + seg(sectionId) + "/sessions", Json.write(sessions));
    }

    public void putMarks(String sessionId, List<MarkBody> marks) {
        put("/api/v1/sessions/" + seg(sessionId) + "/marks", Json.write(marks));
    }

    /**
     * Scores of one section as a merge ({@code PUT /api/v1/sections/{id}/scores}): components not in the list are left as
     * they are; a {@link ToolModel.ScoreBody#removal} removes one. A 400 names each refused record by its index in
     * {@code scores} ({@link ToolApiException#recordIndex}); nothing of a refused request is stored.
     */
    public void putScores(String sectionId, List<ScoreBody> scores) {
        put("/api/v1/sections/" + seg(sectionId) + "/scores", Json.write(scores));
    }

    /** The final-exam gate of each student of a section ({@code GET /api/v1/sections/{id}/admission}). */
    public List<Admission> admission(String sectionId) {
        JsonNode b = get("/api/v1/sections/" + seg(sectionId) + "/admission");
        JsonNode rows = b.isArray() ? b : b.path("admission");
        List<Admission> out = new ArrayList<>();
        for (JsonNode row : rows) {
            out.add(Json.MAPPER.convertValue(row, Admission.class));
        }
        return out;
    }

    public List<Standing> standing(String sectionId) {
        JsonNode b = get("/api/v1/sections/" + seg(sectionId) + "/standing");
        JsonNode rows = b.isArray() ? b : b.path("standing");
        List<Standing> out = new ArrayList<>();
        for (JsonNode row : rows) {
            out.add(Json.MAPPER.convertValue(row, Standing.class));
        }
        return out;
    }

    /** Marks and standing changes after {@code cursor} (null = from the beginning), with the next cursor. */
    public Changes changes(String cursor) {
        String path = "/api/v1/changes" + (cursor == null ? "" : "?since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        JsonNode b = get(path);
        List<Change> changes = new ArrayList<>();
        JsonNode items = b.has("changes") ? b.path("changes") : b.path("items");
        for (JsonNode c : items) {
            changes.add(Json.MAPPER.convertValue(c, Change.class));
        }
        String next = b.path("cursor").isMissingNode() || b.path("cursor").isNull()
                ? b.path("nextCursor").asText(cursor) : b.path("cursor").asText();
        return new Changes(changes, next);
    }

    /** Proctoring verdicts after {@code since} ("0" = from the beginning), at most {@code limit}, with the next cursor. */
    public ToolModel.Verdicts verdicts(String since, int limit) {
        JsonNode b = get("/api/v1/proctoring/verdicts?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8) + "&limit=" + limit);
        List<ToolModel.Verdict> out = new ArrayList<>();
        for (JsonNode v : b.path("verdicts")) {
            out.add(Json.MAPPER.convertValue(v, ToolModel.Verdict.class));
        }
        return new ToolModel.Verdicts(out, b.path("cursor").asText(since), b.path("hasMore").asBoolean(false));
    }

    private void put(String path, String json) {
        writeCalls.incrementAndGet();
        HttpRequestSpec spec = HttpRequestSpec.json("PUT", path, json).withHeader("Authorization", "Bearer " + token.reveal());
        HttpResult r = http.send(spec);
        check(spec, r);
    }

    private JsonNode get(String path) {
        HttpRequestSpec spec = HttpRequestSpec.get(path).withHeader("Accept", "application/json")
                .withHeader("Authorization", "Bearer " + token.reveal());
        HttpResult r = http.send(spec);
        check(spec, r);
        return Json.parse(http.name(), "GET " + path, r);
    }

    private void check(HttpRequestSpec spec, HttpResult r) {
        if (r.isSuccess()) {
            return;
        }
        List<ToolApiException.Detail> details = new ArrayList<>();
        String error = r.excerpt(300);
        try {
            JsonNode b = Json.MAPPER.readTree(r.body());
            if (b != null && b.has("error")) {
                error = b.path("error").asText();
                if (b.path("details") instanceof ArrayNode arr) {
                    arr.forEach(d -> details.add(new ToolApiException.Detail(d.path("path").asText(), d.path("problem").asText())));
                }
            }
        } catch (java.io.IOException ignored) {
            // not JSON: the excerpt is the message
        }
        String hint = switch (r.status()) {
            case 401 -> " (the daemon's API token is missing or wrong: sync.tool.token)";
            case 403 -> " (the daemon's API token lacks the scope for this call)";
            default -> "";
        };
        throw new ToolApiException(r.status(), "tool: " + spec.description() + " answered HTTP " + r.status() + ": " + error + hint
                + (details.isEmpty() ? "" : " " + details), details);
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
