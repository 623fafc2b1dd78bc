package kz.qatysu.tool.attendance.changes;

import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/changes?since=<cursor>&limit=<n>}: mark and standing changes after the cursor, in commit order
 * (see {@link ChangeFeed}), with the cursor to ask for next. The cursor is the sequence number of the last change
 * returned (a decimal string); when nothing is new it comes back unchanged. Sequence numbers are unique but, with
 * writers to different sections committing in any order, not always increasing from one change to the next.
 */
public final class ChangesApi {
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 5000;

    private final ChangeFeed feed;
    private final ApiAuth auth;

    public ChangesApi(ChangeFeed feed, ApiAuth auth) {
        this.feed = feed;
        this.auth = auth;
    }

    public void list(Context ctx) {
        auth.require(ctx, Scope.STANDING_READ);
        long since = since(ctx);
        int limit = limit(ctx);
        List<ChangeFeed.Change> changes;
        try {
            changes = feed.after(since, limit + 1);
        } catch (ChangeFeed.UnknownCursor e) {
            throw problem("since", "must be a cursor returned by this endpoint: " + e.getMessage());
        }
        boolean more = changes.size() > limit;
        List<ChangeFeed.Change> page = more ? changes.subList(0, limit) : changes;
        long next = page.isEmpty() ? since : page.getLast().seq();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changes", page.stream().map(ChangesApi::view).toList());
        body.put("cursor", Long.toString(next));
        body.put("hasMore", more);
        ctx.json(body);
    }

    private static Map<String, Object> view(ChangeFeed.Change c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", c.seq());
        m.put("type", c.type());
        m.put("sectionId", c.sectionId());
        if (c.sessionId() != null) {
            m.put("sessionId", c.sessionId());
        }
        m.put("personId", c.personId());
        if ("mark".equals(c.type())) {
            m.put("status", c.status());
            m.put("lateMinutes", c.lateMinutes());
        } else {
            m.put("state", c.state());
            m.put("computedState", c.computedState());
            m.put("absenceShare", c.absenceShare());
        }
        m.put("reason", c.reason());
        m.put("by", c.by());
        m.put("at", c.at().withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
        return m;
    }

    /** The cursor: absent = from the beginning; otherwise a non-negative whole number this endpoint returned. */
    private static long since(Context ctx) {
        if (ctx.queryParam("since") == null || ctx.queryParam("since").isBlank()) {
            return 0;
        }
        return ctx.queryParamAsClass("since", Long.class)
                .check(v -> v >= 0, "negative")
                .getOrThrow(errors -> problem("since", "must be a cursor returned by this endpoint "
                        + "(a non-negative whole number), was '" + ctx.queryParam("since") + "'"));
    }

    private static int limit(Context ctx) {
        if (ctx.queryParam("limit") == null || ctx.queryParam("limit").isBlank()) {
            return DEFAULT_LIMIT;
        }
        return ctx.queryParamAsClass("limit", Integer.class)
                .check(v -> v >= 1 && v <= MAX_LIMIT, "out of range")
                .getOrThrow(errors -> problem("limit", "must be a whole number from 1 to " + MAX_LIMIT
                        + ", was '" + ctx.queryParam("limit") + "'"));
    }

    private static ApiException problem(String parameter, String text) {
        return ApiException.badRequest("invalid " + parameter, List.of(new ApiException.Detail(parameter, text)));
    }
}
