package kz.qatysu.connectors.portal;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import kz.qatysu.connectors.http.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A portal's REST/JSON API with configurable endpoints, paging and field mapping. Each canonical field is read
 * from the JSON pointer the mapping names ({@code /fio/kk/last}), or from the top-level property of its own name.
 *
 * <p>Paging stops at an empty or short page (or a missing next link). When the API reports a total, the number of
 * records received must match it: a page that came back short in the middle of the listing makes the read fail
 * rather than pass a truncated roster on to the sync, where it would look like mass expulsion.
 */
public final class RestPortalSource implements PortalSource {
    private static final int MAX_PAGES = 100_000;

    private final HttpConnector http;
    private final Map<Entity, RestEndpoint> endpoints;
    private final FieldMapping mapping;
    private final Optional<String> authHeader;
    private final Optional<Secret> token;

    public RestPortalSource(HttpConnector http, Map<Entity, RestEndpoint> endpoints, FieldMapping mapping,
                            Optional<String> authHeader, Optional<Secret> token) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoints = Map.copyOf(endpoints);
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.authHeader = authHeader;
        this.token = token;
    }

    @Override
    public String describe() {
        return "rest:" + http.settings().baseUrl();
    }

    @Override
    public List<RawRecord> rows(Entity entity) {
        RestEndpoint ep = endpoints.get(entity);
        if (ep == null) {
            throw new SourceUnavailableException("no REST endpoint configured for " + entity.key());
        }
        List<RawRecord> out = new ArrayList<>();
        String nextUrl = null;
        Long total = null;
        int page = 0;
        while (page < MAX_PAGES) {
            String url = switch (ep.paging()) {
                case NONE -> ep.path();
                case PAGE -> withParams(ep.path(), ep.pageParam(), ep.firstPage() + page, ep.sizeParam(), ep.pageSize());
                case OFFSET -> withParams(ep.path(), ep.pageParam(), (long) page * ep.pageSize(), ep.sizeParam(), ep.pageSize());
                case NEXT_LINK -> page == 0 ? ep.path() : nextUrl;
            };
            JsonNode body = fetch(entity, url);
            JsonNode items = ep.itemsPointer().isEmpty() ? body : body.at(ep.itemsPointer());
            if (!items.isArray()) {
                throw new SourceUnavailableException("GET " + url + ": no record array at '" + ep.itemsPointer()
                        + "' (the answer starts " + excerpt(body) + ")");
            }
            if (ep.totalPointer() != null && !body.at(ep.totalPointer()).isMissingNode()) {
                total = body.at(ep.totalPointer()).asLong();
            }
            int i = 0;
            for (JsonNode item : items) {
                i++;
                out.add(new RawRecord("GET " + ep.path() + " page " + (page + 1) + " item " + i, fields(entity, item)));
            }
            page++;
            boolean last = switch (ep.paging()) {
                case NONE -> true;
                case PAGE, OFFSET -> items.size() < ep.pageSize() || (total != null && out.size() >= total);
                case NEXT_LINK -> {
                    JsonNode next = body.at(ep.nextPointer());
                    nextUrl = next.isMissingNode() || next.isNull() || next.asText().isBlank() ? null : next.asText();
                    yield nextUrl == null;
                }
            };
            if (last) {
                break;
            }
        }
        if (total != null && out.size() != total) {
            throw new SourceUnavailableException(entity.key() + ": the portal reported " + total + " records but "
                    + out.size() + " arrived over " + page + " page(s) — a short or missing page; refusing a partial roster");
        }
        return out;
    }

    private JsonNode fetch(Entity entity, String url) {
        HttpRequestSpec spec = HttpRequestSpec.get(url).withHeader("Accept", "application/json").describedAs("GET " + url);
        if (authHeader.isPresent() && token.isPresent()) {
            spec = spec.withHeader(authHeader.get(), token.get().reveal());
        }
        try {
            HttpResult r = http.sendOk(spec);
            return Json.parse(http.name(), "GET " + url, r);
        } catch (HttpFailure e) {
            throw new SourceUnavailableException("cannot read " + entity.key() + " from the portal: " + e.getMessage(), e);
        }
    }

    private Map<String, String> fields(Entity entity, JsonNode item) {
        Map<String, String> out = new HashMap<>();
        for (String field : entity.fields()) {
            String column = mapping.column(entity, field);
            JsonNode v = column.startsWith("/") ? item.at(column) : item.path(column);
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                out.put(field, String.join("|", parts));
            } else if (v.isValueNode()) {
                out.put(field, v.asText());
            } else {
                out.put(field, v.toString());
            }
        }
        return out;
    }

    private static String withParams(String path, String p1, long v1, String p2, int v2) {
        String sep = path.contains("?") ? "&" : "?";
        return path + sep + enc(p1) + "=" + v1 + "&" + enc(p2) + "=" + v2;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String excerpt(JsonNode n) {
        String s = n.toString();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
