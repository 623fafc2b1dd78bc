package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import kz.qatysu.demo.platform.Gradebook.Grade;
import kz.qatysu.demo.platform.Gradebook.LineItem;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assignment and Grade Services ({@code …/services.php/{course}/lineitems[/{id}/lineitem[/scores|/results]]}),
 * answering like Moodle 4.5 (captures {@code advantage_13..26}): the container is a bare JSON array; create is
 * 201 echoing the body plus {@code id}; a score is 200 with an empty body, rescaled to the item's maximum, 409 when
 * not newer than the stored one and 400 {@code []} for a user who cannot be graded; results are a bare array.
 */
final class GradebookController {
    static final String CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    static final String LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json";
    static final String SCORE = "application/vnd.ims.lis.v1.score+json";
    static final String RESULTS = "application/vnd.ims.lis.v2.resultcontainer+json";
    // Moodle reports grade timestamps in the site's time zone, at second precision.
    private static final ZoneId SITE_ZONE = ZoneId.of("Asia/Almaty");

    private final ServiceGuard guard;
    private final Gradebook gradebook;
    private final CourseLinks links;
    private final PlatformUrls urls;
    private final String deploymentId;
    private final ObjectMapper json = new ObjectMapper();

    GradebookController(ServiceGuard guard, Gradebook gradebook, CourseLinks links, PlatformUrls urls, String deploymentId) {
        this.guard = guard;
        this.gradebook = gradebook;
        this.links = links;
        this.urls = urls;
        this.deploymentId = deploymentId;
    }

    void listLineItems(Context ctx) throws Exception {
        if (!guard.accepts(ctx, CONTAINER) || !guard.authorized(ctx, List.of(LaunchMessages.SCOPE_LINEITEM, LaunchMessages.SCOPE_LINEITEM_READONLY))
                || !inThisCourse(ctx)) {
            return;
        }
        int limit = ServiceGuard.paging(ctx, "limit");
        int from = ServiceGuard.paging(ctx, "from");
        List<LineItem> all = gradebook.list(ctx.queryParam("resource_link_id"), ctx.queryParam("resource_id"), ctx.queryParam("tag"));
        int end = limit > 0 ? Math.min(all.size(), from + limit) : all.size();
        List<LineItem> page = from >= all.size() ? List.of() : all.subList(from, end);
        if (limit > 0 && end < all.size()) {
            ctx.header("Link", "<" + urls.lineItems() + "&limit=" + limit + "&from=" + end + ">; rel=\"next\"");
        }
        respond(ctx, 200, CONTAINER, page.stream().map(this::lineItemJson).toList());
    }

    void createLineItem(Context ctx) throws Exception {
        if (!guard.sends(ctx, LINE_ITEM) || !guard.authorized(ctx, List.of(LaunchMessages.SCOPE_LINEITEM)) || !inThisCourse(ctx)) {
            return;
        }
        JsonNode body = readObject(ctx);
        String problem = body == null ? "Incorrect line item received" : lineItemProblem(body);
        if (problem != null) {
            guard.badRequest(ctx, problem);
            return;
        }
        LineItem item = gradebook.create(body.get("label").asText(), body.get("scoreMaximum").asDouble(),
                text(body, "resourceId"), text(body, "tag"), text(body, "resourceLinkId"), true);
        ObjectNode echo = ((ObjectNode) body).deepCopy();
        echo.put("id", urls.lineItem(item.id()));
        respond(ctx, 201, LINE_ITEM, echo);
    }

    void getLineItem(Context ctx) throws Exception {
        if (!guard.accepts(ctx, LINE_ITEM) || !guard.authorized(ctx, List.of(LaunchMessages.SCOPE_LINEITEM, LaunchMessages.SCOPE_LINEITEM_READONLY))
                || !inThisCourse(ctx)) {
            return;
        }
        var item = gradebook.find(ctx.pathParam("item"));
        if (item.isEmpty()) {
            guard.notFound(ctx);
            return;
        }
        respond(ctx, 200, LINE_ITEM, lineItemJson(item.get()));
    }

    void updateLineItem(Context ctx) throws Exception {
        if (!guard.sends(ctx, LINE_ITEM) || !guard.authorized(ctx, List.of(LaunchMessages.SCOPE_LINEITEM)) || !inThisCourse(ctx)) {
            return;
        }
        JsonNode body = readObject(ctx);
        String problem = body == null ? "Incorrect line item received" : lineItemProblem(body);
        if (problem != null) {
            guard.badRequest(ctx, problem);
            return;
        }
        var item = gradebook.update(ctx.pathParam("item"), body.get("label").asText(), body.get("scoreMaximum").asDouble(),
                text(body, "resourceId"), text(body, "tag"), text(body, "resourceLinkId"));
        if (item.isEmpty()) {
            guard.notFound(ctx);
            return;
        }
        ObjectNode echo = ((ObjectNode) body).deepCopy();
        echo.put("id", urls.lineItem(item.get().id()));
        respond(ctx, 200, LINE_ITEM, echo);
    }

    void deleteLineItem(Context ctx) throws Exception {
        if (!guard.authorized(ctx, List.of(LaunchMessages.SCOPE_LINEITEM)) || !inThisCourse(ctx)) {
            return;
        }
        var item = gradebook.find(ctx.pathParam("item"));
        if (item.isEmpty()) {
            guard.notFound(ctx);
            return;
        }
        if (!item.get().createdByTool()) {
            // The activity's own grade item goes away with the activity, not through the service.
            guard.badRequest(ctx, "Cannot delete the grade item of an activity");
            return;
        }
        gradebook.delete(item.get().id());
        ctx.status(204);
    }

    void postScore(Context ctx) throws Exception {
        if (!guard.sends(ctx, SCORE) || !guard.authorized(ctx, List.of(LaunchMessages.SCOPE_SCORE)) || !inThisCourse(ctx)) {
            return;
        }
        JsonNode body = readObject(ctx);
        OffsetDateTime timestamp = body == null ? null : timestamp(body);
        if (body == null || text(body, "userId") == null || timestamp == null || text(body, "gradingProgress") == null
                || text(body, "activityProgress") == null
                || (body.has("scoreGiven") && !body.get("scoreGiven").isNumber())
                || (body.has("scoreGiven") && !body.has("scoreMaximum"))
                || (body.has("scoreMaximum") && (!body.get("scoreMaximum").isNumber() || body.get("scoreMaximum").asDouble() <= 0))) {
            scoreRefused(ctx, 400);
            return;
        }
        Double given = body.has("scoreGiven") ? body.get("scoreGiven").asDouble() : null;
        double maximum = body.has("scoreMaximum") ? body.get("scoreMaximum").asDouble() : 1;
        boolean fullyGraded = "FullyGraded".equals(text(body, "gradingProgress"));
        switch (gradebook.score(ctx.pathParam("item"), text(body, "userId"), given, maximum, fullyGraded, text(body, "comment"), timestamp)) {
            case STORED -> ctx.status(200).contentType(SCORE + "; charset=utf-8").result("");
            case UNKNOWN_ITEM -> guard.notFound(ctx);
            case NOT_GRADABLE -> scoreRefused(ctx, 400);
            case NOT_NEWER -> scoreRefused(ctx, 409);
        }
    }

    void results(Context ctx) throws Exception {
        if (!guard.accepts(ctx, RESULTS) || !guard.authorized(ctx, List.of(LaunchMessages.SCOPE_RESULT_READONLY)) || !inThisCourse(ctx)) {
            return;
        }
        String itemId = ctx.pathParam("item");
        if (gradebook.find(itemId).isEmpty()) {
            guard.notFound(ctx);
            return;
        }
        List<Map<String, Object>> body = gradebook.results(itemId, ctx.queryParam("user_id")).stream()
                .map(g -> resultJson(itemId, g)).toList();
        respond(ctx, 200, RESULTS, body);
    }

    private boolean inThisCourse(Context ctx) throws Exception {
        String typeId = ctx.queryParam("type_id");
        if (!SampleCourse.CONTEXT_ID.equals(ctx.pathParam("course")) || (typeId != null && !typeId.equals(deploymentId))) {
            guard.notFound(ctx);
            return false;
        }
        return true;
    }

    private String lineItemProblem(JsonNode body) {
        if (text(body, "label") == null || text(body, "label").isBlank()) {
            return "Incorrect line item received: label missing";
        }
        if (!body.has("scoreMaximum") || !body.get("scoreMaximum").isNumber() || body.get("scoreMaximum").asDouble() <= 0) {
            return "Incorrect line item received: scoreMaximum must be a positive number";
        }
        String rlid = text(body, "resourceLinkId");
        if (rlid != null && links.find(rlid).isEmpty()) {
            return "Invalid resourceLinkId";
        }
        return null;
    }

    private Map<String, Object> lineItemJson(LineItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", urls.lineItem(item.id()));
        m.put("label", item.label());
        m.put("scoreMaximum", number(item.scoreMaximum()));
        m.put("resourceId", item.resourceId());
        m.put("tag", item.tag());
        if (item.resourceLinkId() != null) {
            m.put("resourceLinkId", item.resourceLinkId());
            m.put("ltiLinkId", item.resourceLinkId());
        }
        return m;
    }

    private Map<String, Object> resultJson(String itemId, Grade g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", urls.results(itemId) + "&user_id=" + PlatformUrls.enc(g.userId()));
        m.put("userId", g.userId());
        if (g.resultScore() != null) {
            m.put("resultScore", number(g.resultScore()));
        }
        m.put("resultMaximum", number(g.resultMaximum()));
        if (g.comment() != null && !g.comment().isEmpty()) {
            m.put("comment", g.comment());
        }
        m.put("scoreOf", urls.lineItem(itemId));
        m.put("timestamp", g.timestamp().atZoneSameInstant(SITE_ZONE).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return m;
    }

    private void scoreRefused(Context ctx, int status) {
        // Moodle answers a refused score with this body.
        ctx.status(status).contentType(SCORE + "; charset=utf-8").result("[]");
    }

    private void respond(Context ctx, int status, String mediaType, Object body) throws Exception {
        ctx.status(status).contentType(mediaType + "; charset=utf-8").result(json.writeValueAsString(body));
    }

    private JsonNode readObject(Context ctx) {
        try {
            JsonNode node = json.readTree(ctx.body());
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static OffsetDateTime timestamp(JsonNode body) {
        String s = text(body, "timestamp");
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    static Object number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
    }
}
