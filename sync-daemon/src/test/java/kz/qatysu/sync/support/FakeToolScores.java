package kz.qatysu.sync.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The tool's {@code PUT /api/v1/sections/{id}/scores} as {@code shared/integration/qatysu-api.md} describes it: a merge
 * of scores; bad input → 400 {@code {"error", "details": [{"path": "[i].field", "problem"}]}} naming every bad record,
 * nothing stored; an unknown section → 404; a wrong token → 401.
 */
public final class FakeToolScores implements ResponseDefinitionTransformerV2 {
    public static final String TOKEN = "daemon-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> COMPONENTS = Map.of("RK1", "RK1", "РК1", "RK1", "АБ1", "RK1", "MT", "MT", "MIDTERM", "MT",
            "RK2", "RK2", "РК2", "RK2", "АБ2", "RK2");

    /** section → person → component → "points/max" */
    public final Map<String, Map<String, Map<String, String>>> scores = new ConcurrentHashMap<>();
    /** Sections the tool knows (empty = every section). */
    public final Set<String> sections = ConcurrentHashMap.newKeySet();
    /** Persons the tool refuses as not enrolled. */
    public final Set<String> notEnrolled = ConcurrentHashMap.newKeySet();
    public final AtomicInteger puts = new AtomicInteger();

    public static WireMockServer start(FakeToolScores fake) {
        WireMockServer server = new WireMockServer(options().dynamicPort().extensions(fake));
        server.start();
        server.stubFor(put(urlPathMatching("/api/v1/sections/[^/]+/scores")).willReturn(aResponse().withTransformers(fake.getName())));
        return server;
    }

    @Override
    public String getName() {
        return "fake-tool-scores";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** The score the tool holds, as "points/max", or null. */
    public String score(String section, String person, String component) {
        return scores.getOrDefault(section, Map.of()).getOrDefault(person, Map.of()).get(component);
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        puts.incrementAndGet();
        if (!("Bearer " + TOKEN).equals(event.getRequest().getHeader("Authorization"))) {
            return json(401, "{\"error\":\"missing or unknown token\"}");
        }
        String url = event.getRequest().getUrl();
        String section = URLDecoder.decode(url.split("/")[4], StandardCharsets.UTF_8);
        if (!sections.isEmpty() && !sections.contains(section)) {
            return json(404, "{\"error\":\"unknown section " + section + "\"}");
        }
        JsonNode body;
        try {
            body = JSON.readTree(event.getRequest().getBodyAsString());
        } catch (Exception e) {
            return json(400, "{\"error\":\"not JSON\",\"details\":[]}");
        }
        ObjectNode error = JSON.createObjectNode().put("error", "invalid scores");
        ArrayNode details = error.putArray("details");
        for (int i = 0; i < body.size(); i++) {
            JsonNode s = body.get(i);
            String person = s.path("personId").asText("");
            if (person.isBlank()) {
                detail(details, i, "personId", "required");
            } else if (notEnrolled.contains(person)) {
                detail(details, i, "personId", "not a student of section " + section);
            }
            if (!COMPONENTS.containsKey(s.path("component").asText("").toUpperCase(java.util.Locale.ROOT))) {
                detail(details, i, "component", "one of RK1, MT, RK2 expected");
            }
            BigDecimal max = s.path("max").isNumber() ? s.path("max").decimalValue() : BigDecimal.valueOf(100);
            if (max.signum() <= 0) {
                detail(details, i, "max", "must be above 0");
            }
            if (!s.path("points").isNull() && !s.path("points").isMissingNode()) {
                BigDecimal points = s.path("points").decimalValue();
                if (!s.path("points").isNumber() || points.signum() < 0 || points.compareTo(max) > 0) {
                    detail(details, i, "points", "must be between 0 and max");
                }
            }
        }
        if (!details.isEmpty()) {
            return json(400, error.toString());
        }
        for (JsonNode s : body) {
            var person = scores.computeIfAbsent(section, k -> new ConcurrentHashMap<>()).computeIfAbsent(s.path("personId").asText(),
                    k -> new ConcurrentHashMap<>());
            String component = COMPONENTS.get(s.path("component").asText().toUpperCase(java.util.Locale.ROOT));
            if (s.path("points").isNull()) {
                person.remove(component);
            } else {
                person.put(component, s.path("points").decimalValue().toPlainString() + "/"
                        + (s.path("max").isNumber() ? s.path("max").decimalValue().toPlainString() : "100"));
            }
        }
        return new ResponseDefinitionBuilder().withStatus(204).build();
    }

    private static void detail(ArrayNode details, int i, String field, String problem) {
        details.addObject().put("path", "[" + i + "]." + field).put("problem", problem);
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json").withBody(body).build();
    }

    /** Every score the tool holds, as "section/person/component=points/max", sorted. */
    public List<String> all() {
        return scores.entrySet().stream().flatMap(s -> s.getValue().entrySet().stream().flatMap(p -> p.getValue().entrySet().stream()
                .map(c -> s.getKey() + "/" + p.getKey() + "/" + c.getKey() + "=" + c.getValue()))).sorted().toList();
    }
}
