package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kz.qatysu.tool.lti.platforms.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Assignment and Grade Services 2.0: line items, scores and results at the endpoints of a launch's AGS claim.
 *
 * <p>One token serves every AGS call of a launch: it asks for all AGS scopes the claim grants, and a call whose
 * scope the claim does not grant fails before any request. Line item URLs keep their query (Moodle's
 * {@code ?type_id=1}): {@code /scores} and {@code /results} go at the end of the path, before the query.
 */
public final class AssignmentsGrades {
    public static final String SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public static final String SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public static final String SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
    public static final String SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public static final Set<String> ALL_SCOPES = Set.of(SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_SCORE, SCOPE_RESULT_READONLY);

    public static final String LINEITEM_CONTAINER = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    public static final String LINEITEM = "application/vnd.ims.lis.v2.lineitem+json";
    public static final String SCORE = "application/vnd.ims.lis.v1.score+json";
    public static final String RESULT_CONTAINER = "application/vnd.ims.lis.v2.resultcontainer+json";
    public static final int MAX_PAGES = 1000;
    private static final Logger log = LoggerFactory.getLogger(AssignmentsGrades.class);

    private final ServiceClient client;

    public AssignmentsGrades(HttpClient http, ServiceTokens tokens, Duration requestTimeout) {
        this.client = new ServiceClient(http, tokens, requestTimeout);
    }

    /** The line items of the context, all pages, filtered by the platform and again here. */
    public List<LineItem> lineItems(Platform platform, AgsEndpoint endpoint, LineItemFilter filter) {
        String op = "AGS line items GET";
        URI container = containerOf(platform, endpoint, op);
        Set<String> scopes = scopes(platform, endpoint, op, container, SCOPE_LINEITEM_READONLY, SCOPE_LINEITEM);
        URI url = ServiceUrls.withParam(container, "resource_link_id", filter.resourceLinkId());
        url = ServiceUrls.withParam(url, "resource_id", filter.resourceId());
        url = ServiceUrls.withParam(url, "tag", filter.tag());
        List<LineItem> items = new ArrayList<>();
        for (JsonNode page : pages(platform, scopes, op, url, LINEITEM_CONTAINER)) {
            for (JsonNode node : page) {
                LineItem item = lineItem(node);
                if (item.id() != null && filter.matches(item)) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    public LineItem lineItem(Platform platform, AgsEndpoint endpoint, URI lineItemUrl) {
        String op = "AGS line item GET";
        Set<String> scopes = scopes(platform, endpoint, op, lineItemUrl, SCOPE_LINEITEM_READONLY, SCOPE_LINEITEM);
        ServiceClient.Reply reply = client.expectOk(platform, scopes, op, "GET", lineItemUrl, LINEITEM, null, null);
        return readLineItem(platform, op, reply);
    }

    /** Creates a line item in the context's container (AGS answers 201 with the item and its new id). */
    public LineItem create(Platform platform, AgsEndpoint endpoint, NewLineItem item) {
        String op = "AGS line item POST";
        URI container = containerOf(platform, endpoint, op);
        Set<String> scopes = scopes(platform, endpoint, op, container, SCOPE_LINEITEM);
        ObjectNode body = client.json().createObjectNode();
        putNumber(body, "scoreMaximum", item.scoreMaximum());
        body.put("label", item.label());
        putIfPresent(body, "resourceId", item.resourceId());
        putIfPresent(body, "tag", item.tag());
        putIfPresent(body, "resourceLinkId", item.resourceLinkId());
        ServiceClient.Reply reply = client.expectOk(platform, scopes, op, "POST", container, LINEITEM, LINEITEM, client.write(body));
        LineItem created = readLineItem(platform, op, reply);
        log.info("Platform {}: created line item {} \"{}\" for resource link {}", platform.id(), created.id(),
                created.label(), created.resourceLinkId());
        return created;
    }

    /** Replaces a line item (PUT to its id). */
    public LineItem update(Platform platform, AgsEndpoint endpoint, LineItem item) {
        String op = "AGS line item PUT";
        if (item.id() == null) {
            throw new IllegalArgumentException("a line item to update needs its id");
        }
        Set<String> scopes = scopes(platform, endpoint, op, item.id(), SCOPE_LINEITEM);
        ObjectNode body = client.json().createObjectNode();
        body.put("id", item.id().toString());
        putNumber(body, "scoreMaximum", item.scoreMaximum());
        body.put("label", item.label());
        putIfPresent(body, "resourceId", item.resourceId());
        putIfPresent(body, "tag", item.tag());
        putIfPresent(body, "resourceLinkId", item.resourceLinkId());
        putIfPresent(body, "startDateTime", item.startDateTime());
        putIfPresent(body, "endDateTime", item.endDateTime());
        ServiceClient.Reply reply = client.expectOk(platform, scopes, op, "PUT", item.id(), LINEITEM, LINEITEM, client.write(body));
        return readLineItem(platform, op, reply);
    }

    /**
     * Posts a score to {@code <lineitem>/scores}, without an Accept header (as Moodle's own captures show the call;
     * its answer is an empty 200). 409 (timestamp not newer) and Moodle's 400 {@code []} (user not
     * gradable) are outcomes, not exceptions; other non-2xx answers throw.
     */
    public ScoreOutcome postScore(Platform platform, AgsEndpoint endpoint, URI lineItemUrl, Score score) {
        String op = "AGS score POST";
        URI url = ServiceUrls.appendPath(lineItemUrl, "/scores");
        Set<String> scopes = scopes(platform, endpoint, op, url, SCOPE_SCORE);
        ObjectNode body = client.json().createObjectNode();
        body.put("userId", score.userId());
        putNumber(body, "scoreGiven", score.scoreGiven());
        putNumber(body, "scoreMaximum", score.scoreMaximum());
        putIfPresent(body, "comment", score.comment());
        body.put("timestamp", Json.ISO_MILLIS.format(score.timestamp()));
        body.put("activityProgress", score.activityProgress().wire());
        body.put("gradingProgress", score.gradingProgress().wire());
        ServiceClient.Reply reply = client.send(platform, scopes, op, "POST", url, null, SCORE, client.write(body));
        if (reply.ok()) {
            return ScoreOutcome.ACCEPTED;
        }
        if (reply.status() == 409) {
            return ScoreOutcome.NOT_NEWER;
        }
        if (reply.status() == 400 && reply.json() != null && reply.json().isArray() && reply.json().isEmpty()) {
            return ScoreOutcome.USER_NOT_GRADABLE;
        }
        throw AdvantageException.http(platform, op, url, reply.status(), ServiceClient.errorValue(reply.json()));
    }

    /** The results of a line item, all pages; only {@code userId}'s when it is not null. */
    public List<Result> results(Platform platform, AgsEndpoint endpoint, URI lineItemUrl, String userId) {
        String op = "AGS results GET";
        URI url = ServiceUrls.withParam(ServiceUrls.appendPath(lineItemUrl, "/results"), "user_id", userId);
        Set<String> scopes = scopes(platform, endpoint, op, url, SCOPE_RESULT_READONLY);
        List<Result> results = new ArrayList<>();
        for (JsonNode page : pages(platform, scopes, op, url, RESULT_CONTAINER)) {
            for (JsonNode r : page) {
                results.add(new Result(uri(Json.text(r, "id")), Json.text(r, "userId"), Json.number(r, "resultScore"),
                        Json.number(r, "resultMaximum"), Json.text(r, "comment"), uri(Json.text(r, "scoreOf")),
                        Json.instant(r, "timestamp")));
            }
        }
        return results;
    }

    /**
     * "The" line item of a resource link: the launch's {@code lineitem} claim when there is one; else the first
     * in the container with this resource link id and tag (Moodle drops the claim once a link has two line
     * items); else a new one.
     */
    public ResolvedLineItem findOrCreate(Platform platform, AgsEndpoint endpoint, NewLineItem wanted) {
        Optional<URI> claimed = endpoint.launchLineItem();
        if (claimed.isPresent()) {
            return new ResolvedLineItem(claimed.get(), ResolvedLineItem.Source.LAUNCH_CLAIM);
        }
        return findOrCreateTagged(platform, endpoint, wanted);
    }

    /**
     * The line item of {@code wanted}'s resource link and tag, created when there is none — never the launch's
     * {@code lineitem} claim, which names the link's own (attendance) item: for a second item beside it.
     *
     * <p>The look-up filters on exactly the fields the create sends ({@code resourceLinkId} and {@code tag}; Moodle
     * 4.5 stores and lists both as sent), so an item this tool created is always found again. When the create
     * gets no usable answer (a time-out, a 5xx) the platform may still have made the item: it is looked for once more
     * before the failure is reported, and the next pass looks before it creates — a slow LMS never gets two items.
     * Callers run one at a time across nodes (a {@link kz.qatysu.tool.cluster.ClusterLock}).
     */
    public ResolvedLineItem findOrCreateTagged(Platform platform, AgsEndpoint endpoint, NewLineItem wanted) {
        Optional<URI> found = find(platform, endpoint, wanted);
        if (found.isPresent()) {
            return new ResolvedLineItem(found.get(), ResolvedLineItem.Source.FOUND);
        }
        try {
            return new ResolvedLineItem(create(platform, endpoint, wanted).id(), ResolvedLineItem.Source.CREATED);
        } catch (AdvantageException e) {
            if (!e.outcomeUnknown()) {
                throw e;
            }
            log.warn("Platform {}: creating line item \"{}\" for resource link {} got no usable answer ({}); looking for it",
                    platform.id(), wanted.label(), wanted.resourceLinkId(), e.getMessage());
            Optional<URI> made;
            try {
                made = find(platform, endpoint, wanted);
            } catch (AdvantageException again) {
                e.addSuppressed(again);
                throw e;
            }
            return made.map(url -> new ResolvedLineItem(url, ResolvedLineItem.Source.FOUND)).orElseThrow(() -> e);
        }
    }

    /** The first line item of {@code wanted}'s resource link and tag in the container, if any. */
    private Optional<URI> find(Platform platform, AgsEndpoint endpoint, NewLineItem wanted) {
        LineItemFilter filter = new LineItemFilter(wanted.resourceLinkId(), null, wanted.tag());
        List<LineItem> found = lineItems(platform, endpoint, filter);
        if (found.size() > 1) {
            log.warn("Platform {}: {} line items for resource link {} and tag {}; using {}", platform.id(),
                    found.size(), wanted.resourceLinkId(), wanted.tag(), found.getFirst().id());
        }
        return found.stream().findFirst().map(LineItem::id);
    }

    /** Every page's JSON array, following Link rel="next". */
    private List<JsonNode> pages(Platform platform, Set<String> scopes, String op, URI first, String accept) {
        List<JsonNode> pages = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI url = first;
        while (url != null) {
            if (!seen.add(url)) {
                throw AdvantageException.badAnswer(platform, op, url, 0, "the next-page link points back to a page already read");
            }
            if (pages.size() >= MAX_PAGES) {
                throw AdvantageException.badAnswer(platform, op, first, 0, "more than " + MAX_PAGES + " pages");
            }
            ServiceClient.Reply reply = client.expectOk(platform, scopes, op, "GET", url, accept, null, null);
            if (reply.json() == null || !reply.json().isArray()) {
                throw AdvantageException.badAnswer(platform, op, url, reply.status(), "not a JSON array");
            }
            pages.add(reply.json());
            url = ServiceUrls.next(reply.headers(), url).orElse(null);
        }
        return pages;
    }

    /**
     * The scopes to ask the token for (all AGS scopes the claim grants), after checking the claim grants one of
     * {@code needed}.
     */
    private static Set<String> scopes(Platform platform, AgsEndpoint endpoint, String op, URI url, String... needed) {
        boolean granted = false;
        for (String s : needed) {
            granted |= endpoint.grants(s);
        }
        if (!granted) {
            throw AdvantageException.notGranted(platform, op, url, String.join(" or ", needed));
        }
        Set<String> scopes = new TreeSet<>(endpoint.scopes());
        scopes.retainAll(ALL_SCOPES);
        return scopes;
    }

    private static URI containerOf(Platform platform, AgsEndpoint endpoint, String op) {
        if (endpoint.lineItems() == null) {
            throw AdvantageException.badAnswer(platform, op, endpoint.lineItem(), 0,
                    "the launch's AGS claim has no lineitems URL");
        }
        return endpoint.lineItems();
    }

    private static LineItem readLineItem(Platform platform, String op, ServiceClient.Reply reply) {
        if (reply.json() == null || !reply.json().isObject()) {
            throw AdvantageException.badAnswer(platform, op, reply.url(), reply.status(), "the answer is not a line item");
        }
        LineItem item = lineItem(reply.json());
        if (item.id() == null) {
            throw AdvantageException.badAnswer(platform, op, reply.url(), reply.status(), "the line item has no id");
        }
        return item;
    }

    private static LineItem lineItem(JsonNode n) {
        Double max = Json.number(n, "scoreMaximum");
        return new LineItem(uri(Json.text(n, "id")), Json.text(n, "label"), max == null ? 0 : max,
                Json.text(n, "resourceId"), Json.text(n, "tag"), Json.text(n, "resourceLinkId"),
                Json.instant(n, "startDateTime"), Json.instant(n, "endDateTime"));
    }

    private static URI uri(String s) {
        return s == null ? null : URI.create(s);
    }

    private static void putIfPresent(ObjectNode body, String field, String value) {
        if (value != null && !value.isEmpty()) {
            body.put(field, value);
        }
    }

    private static void putIfPresent(ObjectNode body, String field, Instant value) {
        if (value != null) {
            body.put(field, Json.ISO_MILLIS.format(value));
        }
    }

    /** Whole numbers go out as integers (87, not 87.0), as platforms' own examples write them. */
    private static void putNumber(ObjectNode body, String field, Double value) {
        if (value == null) {
            return;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            body.put(field, value.longValue());
        } else {
            body.put(field, value);
        }
    }
}
