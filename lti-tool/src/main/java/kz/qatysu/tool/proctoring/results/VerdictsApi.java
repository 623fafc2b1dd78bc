package kz.qatysu.tool.proctoring.results;

import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.proctoring.attempts.Verdict;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/proctoring/verdicts?since=<cursor>&limit=<n>} (docs/PROCTORING.md "Verdicts API"): every verdict
 * given or changed after the cursor, for the sync daemon (the portal sink) and other integrations. Scope {@code admin},
 * or {@code proctor} on a token issued without a person: the feed spans every exam, so a person's proctor token is 403.
 */
public final class VerdictsApi {
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 5000;

    private final VerdictFeed feed;
    private final ApiAuth auth;
    private final ResultsSettings scores;

    public VerdictsApi(VerdictFeed feed, ApiAuth auth, ResultsSettings scores) {
        this.feed = feed;
        this.auth = auth;
        this.scores = scores;
    }

    public void list(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.PROCTOR);
        if (!caller.has(Scope.ADMIN) && caller.personId().isPresent()) {
            throw new ApiException(403, "the verdicts feed spans every exam: use an admin token or a proctor token "
                    + "issued without a person");
        }
        long since = since(ctx);
        int limit = limit(ctx);
        List<VerdictFeed.Entry> entries;
        try {
            entries = feed.after(since, limit + 1);
        } catch (VerdictFeed.UnknownCursor e) {
            throw problem("since", "must be a cursor returned by this endpoint: " + e.getMessage());
        }
        boolean more = entries.size() > limit;
        List<VerdictFeed.Entry> page = more ? entries.subList(0, limit) : entries;
        long next = page.isEmpty() ? since : page.getLast().seq();
        feed.fetched(caller.actor(), next, java.time.Instant.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("verdicts", page.stream().map(this::view).toList());
        body.put("cursor", Long.toString(next));
        body.put("hasMore", more);
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    private Map<String, Object> view(VerdictFeed.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("attemptId", e.attemptId());
        m.put("examId", e.examId());
        m.put("examTitle", e.examTitle());
        m.put("sectionId", e.sectionId());
        m.put("personId", e.personId());
        m.put("verdict", e.verdict());
        m.put("score", scores.score(Verdict.Outcome.valueOf(e.verdict())));
        m.put("comment", e.comment());
        m.put("decidedBy", e.decidedBy());
        m.put("decidedAt", e.decidedAt().withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
        return m;
    }

    private static long since(Context ctx) {
        String raw = ctx.queryParam("since");
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw problem("since", "must be a cursor returned by this endpoint (a non-negative whole number), was '" + raw + "'");
    }

    private static int limit(Context ctx) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= 1 && v <= MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw problem("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", was '" + raw + "'");
    }

    private static ApiException problem(String parameter, String text) {
        return ApiException.badRequest("invalid " + parameter, List.of(new ApiException.Detail(parameter, text)));
    }
}
