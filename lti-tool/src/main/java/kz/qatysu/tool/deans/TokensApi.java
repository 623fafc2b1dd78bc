package kz.qatysu.tool.deans;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.api.Scope;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/admin/tokens} issues a scoped API token (the plain value is in this one response only);
 * {@code DELETE /api/v1/admin/tokens/{id}} revokes one. Both need the admin scope and are audited.
 */
public final class TokensApi {
    private static final int MAX_NAME = 100;

    private final ApiAuth auth;
    private final ObjectMapper json;
    private final AdminAudit audit;

    public TokensApi(ApiAuth auth, ObjectMapper json, AdminAudit audit) {
        this.auth = auth;
        this.json = json;
        this.audit = audit;
    }

    public void issue(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw new ApiException(400, "the body is not JSON: {\"name\": \"sync-daemon\", \"scopes\": [\"sync\", \"standing:read\"]}");
        }
        InputProblems problems = new InputProblems();
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "a JSON object expected: {\"name\": …, \"scopes\": […]}");
        }
        InputText.requireStorable(body);
        String name = body.path("name").isTextual() ? body.get("name").asText().strip() : "";
        if (name.isEmpty()) {
            problems.add("name", "required: who will use the token, e.g. sync-daemon");
        } else if (name.length() > MAX_NAME) {
            problems.add("name", "at most " + MAX_NAME + " characters");
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        JsonNode list = body.path("scopes");
        if (!list.isArray() || list.isEmpty()) {
            problems.add("scopes", "a non-empty array expected (admin, sync, standing:read, overrides, proctor, metrics)");
        } else {
            for (int i = 0; i < list.size(); i++) {
                try {
                    scopes.add(Scope.fromWire(list.get(i).asText()));
                } catch (IllegalArgumentException e) {
                    problems.add("scopes[" + i + "]", e.getMessage());
                }
            }
        }
        // a token may stand for a person: a proctor's own token sees only the exams that person proctors
        java.util.Optional<String> personId = java.util.Optional.empty();
        JsonNode person = body.path("personId");
        if (!person.isMissingNode() && !person.isNull()) {
            String id = person.isTextual() ? person.asText().strip() : "";
            String problem = id.isEmpty() ? "a person id (text) expected, or leave it out" : id.length() > MAX_NAME
                    ? "at most " + MAX_NAME + " characters" : InputText.idProblem(id);
            if (problem != null) {
                problems.add("personId", problem);
            } else {
                personId = java.util.Optional.of(id);
            }
        }
        problems.throwIfAny("invalid token request: nothing was issued");
        ApiAuth.IssuedToken issued = auth.issue(name, scopes, personId);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("name", name);
        detail.put("scopes", scopes.stream().map(Scope::wire).toList());
        personId.ifPresent(p -> detail.put("personId", p));
        audit.record(caller.name(), "token.issue", "api_token/" + issued.id(), detail);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.id());
        out.put("name", issued.name());
        out.put("token", issued.token());
        out.put("scopes", issued.scopes().stream().map(Scope::wire).toList());
        out.put("personId", issued.personId().orElse(null));
        ctx.header("Cache-Control", "no-store");
        ctx.status(201).json(out);
    }

    public void revoke(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no token '" + ctx.pathParam("id") + "'");
        }
        if (!auth.revoke(id)) {
            throw ApiException.notFound("no active token " + id);
        }
        audit.record(caller.name(), "token.revoke", "api_token/" + id, Map.of());
        ctx.status(204);
    }
}
