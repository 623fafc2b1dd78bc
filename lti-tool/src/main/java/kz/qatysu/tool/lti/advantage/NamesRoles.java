package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.lti.platforms.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Names and Role Provisioning Services 2.0: the course roster from the launch's {@code context_memberships_url},
 * every page followed through {@code Link: <…>; rel="next"} (NRPS 2.0 §2.4.2), at most {@link #MAX_PAGES}.
 */
public final class NamesRoles {
    public static final String SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
    public static final String MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    public static final int MAX_PAGES = 1000;
    private static final String OPERATION = "NRPS memberships GET";
    private static final Logger log = LoggerFactory.getLogger(NamesRoles.class);

    private final ServiceClient client;

    public NamesRoles(HttpClient http, ServiceTokens tokens, Duration requestTimeout) {
        this.client = new ServiceClient(http, tokens, requestTimeout);
    }

    public Roster roster(Platform platform, NrpsEndpoint endpoint) {
        return roster(platform, endpoint, MembershipFilter.ALL);
    }

    /** All members (every page), in the platform's order; a member repeated on a later page is kept once. */
    public Roster roster(Platform platform, NrpsEndpoint endpoint, MembershipFilter filter) {
        Objects.requireNonNull(filter, "filter");
        URI first = ServiceUrls.withParam(endpoint.contextMembershipsUrl(), "role", filter.role());
        first = ServiceUrls.withParam(first, "limit", filter.limit() == null ? null : filter.limit().toString());
        Map<String, Member> members = new LinkedHashMap<>();
        Set<URI> seen = new HashSet<>();
        URI id = null;
        Roster.Context context = null;
        int pages = 0;
        URI url = first;
        while (url != null) {
            if (!seen.add(url)) {
                throw AdvantageException.badAnswer(platform, OPERATION, url, 0, "the next-page link points back to a page already read");
            }
            if (++pages > MAX_PAGES) {
                throw AdvantageException.badAnswer(platform, OPERATION, first, 0, "more than " + MAX_PAGES + " pages");
            }
            ServiceClient.Reply reply = client.expectOk(platform, Set.of(SCOPE), OPERATION, "GET", url, MEDIA_TYPE, null, null);
            JsonNode body = reply.json();
            if (body == null || !body.isObject() || !body.path("members").isArray()) {
                throw AdvantageException.badAnswer(platform, OPERATION, url, reply.status(), "not a membership container");
            }
            if (context == null) {
                id = Json.text(body, "id") == null ? null : URI.create(Json.text(body, "id"));
                JsonNode c = body.path("context");
                context = new Roster.Context(Json.text(c, "id"), Json.text(c, "label"), Json.text(c, "title"));
            }
            for (JsonNode m : body.get("members")) {
                Member member = member(m);
                if (member.userId() == null) {
                    log.warn("Platform {}: NRPS member without user_id skipped", platform.id());
                    continue;
                }
                members.putIfAbsent(member.userId(), member);
            }
            url = ServiceUrls.next(reply.headers(), url).orElse(null);
        }
        return new Roster(id, context, members.values().stream().toList(), pages);
    }

    private static Member member(JsonNode m) {
        return new Member(Json.text(m, "user_id"), Json.text(m, "status"), Json.texts(m, "roles"),
                Json.text(m, "name"), Json.text(m, "given_name"), Json.text(m, "family_name"), Json.text(m, "email"),
                Json.text(m, "lis_person_sourcedid"), Json.text(m, "ext_user_username"));
    }
}
