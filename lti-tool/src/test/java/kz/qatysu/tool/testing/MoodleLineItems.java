package kz.qatysu.tool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The line-item container of a Moodle 4.5-shaped fake LMS, as a WireMock extension: a POST creates an item the way
 * Moodle does (201, the item echoed with its new id; {@code resourceId} and {@code tag} stored as sent, {@code ""} when
 * not sent; {@code ltiLinkId} equal to {@code resourceLinkId}), and a GET lists what was created, filtered by
 * {@code resource_link_id}, {@code resource_id} and {@code tag} (captures/moodle-4.5 advantage_13, 15, 19, 24). A
 * real Moodle lists what a tool created; a fake that always answers {@code []} hides a tool that would create an item
 * twice.
 *
 * <p>Ids: the first item created with a tag gets the id the test named for that tag (so its score URLs are known in
 * advance); every other item gets the next id from 100. A stub may add a delay: the item is made before the delay,
 * as a slow LMS commits before its answer reaches the tool.
 */
public final class MoodleLineItems implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "moodle-line-items";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> idsByTag;
    private final Set<Integer> used = new HashSet<>();
    private final List<ObjectNode> items = new ArrayList<>();
    private int next = 100;

    /** {@code idsByTag}: the id of the first item created with each tag. */
    public MoodleLineItems(Map<String, Integer> idsByTag) {
        this.idsByTag = Map.copyOf(idsByTag);
    }

    /** Answers GET and POST on the container at {@code path} (e.g. {@code /mod/lti/services.php/2/lineitems}). */
    public void stub(WireMockServer lms, String path) {
        lms.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withTransformers(NAME)));
        lms.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withTransformers(NAME)));
    }

    /** The items created so far, as Moodle would list them. */
    public synchronized List<JsonNode> items() {
        return List.copyOf(items);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        URI url = URI.create(request.getAbsoluteUrl());
        String container = url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
        QueryParameter typeId = request.queryParameter("type_id");
        String query = typeId.isPresent() ? "?type_id=" + typeId.firstValue() : "";
        ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.like(event.getResponseDefinition());
        if (request.getMethod().getName().equals("POST")) {
            JsonNode body;
            try {
                body = JSON.readTree(request.getBodyAsString());
            } catch (IOException e) {
                body = null;
            }
            if (body == null || !body.hasNonNull("label") || !body.hasNonNull("scoreMaximum")) {
                return answer.withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":400,\"reason\":\"Invalid request\",\"request\":{}}").build();
            }
            String tag = body.path("tag").asText("");
            Integer id = idsByTag.get(tag);
            if (id == null || used.contains(id)) {
                do {
                    id = next++;
                } while (used.contains(id));
            }
            used.add(id);
            ObjectNode item = JSON.createObjectNode();
            item.put("id", container + "/" + id + "/lineitem" + query);
            item.put("label", body.get("label").asText());
            item.set("scoreMaximum", body.get("scoreMaximum"));
            item.put("resourceId", body.path("resourceId").asText(""));
            item.put("tag", tag);
            String link = body.path("resourceLinkId").asText(body.path("ltiLinkId").asText(""));
            if (!link.isEmpty()) {
                item.put("resourceLinkId", link);
                item.put("ltiLinkId", link);
            }
            items.add(item);
            return answer.withStatus(201).withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitem+json")
                    .withBody(item.toString()).build();
        }
        ArrayNode listed = JSON.createArrayNode();
        for (ObjectNode item : items) {
            if (matches(request, "resource_link_id", item.path("resourceLinkId").asText(""))
                    && matches(request, "resource_id", item.path("resourceId").asText(""))
                    && matches(request, "tag", item.path("tag").asText(""))) {
                listed.add(item);
            }
        }
        return answer.withStatus(200).withHeader("Content-Type", "application/vnd.ims.lis.v2.lineitemcontainer+json")
                .withBody(listed.toString()).build();
    }

    private static boolean matches(Request request, String filter, String value) {
        QueryParameter p = request.queryParameter(filter);
        return !p.isPresent() || p.firstValue().equals(value);
    }
}
