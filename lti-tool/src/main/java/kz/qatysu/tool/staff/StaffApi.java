package kz.qatysu.tool.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.InputText;
import kz.qatysu.tool.api.Scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/admin/staff}: list, read, grant (PUT replaces the person's roles and faculties) and revoke staff
 * roles. Scope admin; every change is audited under the token's name.
 */
public final class StaffApi {
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final StaffDirectory directory;
    private final StaffHandler handler;

    public StaffApi(ApiAuth auth, ObjectMapper json, StaffDirectory directory, StaffHandler handler) {
        this.auth = auth;
        this.json = json;
        this.directory = directory;
        this.handler = handler;
    }

    public void list(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        ctx.json(directory.list().stream().map(StaffApi::view).toList());
    }

    public void get(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        String personId = ctx.pathParam("personId");
        ctx.json(view(directory.find(personId).orElseThrow(() -> ApiException.notFound("no staff member '" + personId + "'"))));
    }

    /** {@code PUT /api/v1/admin/staff/{personId}} with {@code {"displayName": …, "roles": […], "faculties": […]}}. */
    public void put(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        JsonNode body;
        try {
            body = json.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            throw new ApiException(400, "the body is not JSON: {\"displayName\": \"Aigerim N.\", \"roles\": [\"DEANS_OFFICE\"], \"faculties\": [\"FIT\"]}");
        }
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "a JSON object expected: {\"displayName\": …, \"roles\": […], \"faculties\": […]}");
        }
        InputText.requireStorable(body);
        InputProblems problems = new InputProblems();
        JsonNode name = body.path("displayName");
        if (!name.isMissingNode() && !name.isNull() && !name.isTextual()) {
            problems.add("displayName", "a string or null expected");
        }
        List<String> roles = strings(body, "roles", problems);
        List<String> faculties = strings(body, "faculties", problems);
        StaffGrant grant = StaffGrant.parse(ctx.pathParam("personId"), name.isTextual() ? name.asText() : null, roles, faculties, problems);
        problems.throwIfAny("invalid staff grant: nothing was stored");
        boolean existed = directory.find(grant.personId()).isPresent();
        StaffDirectory.StaffMember m = handler.save(grant, caller.name());
        ctx.status(existed ? 200 : 201).json(view(m));
    }

    public void delete(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String personId = ctx.pathParam("personId");
        if (!handler.remove(personId, caller.name())) {
            throw ApiException.notFound("no staff member '" + personId + "'");
        }
        ctx.status(204);
    }

    private static List<String> strings(JsonNode body, String field, InputProblems problems) {
        JsonNode node = body.path(field);
        List<String> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            problems.add(field, "an array of strings expected");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                problems.add(field + "[" + i + "]", "a string expected");
            } else {
                out.add(node.get(i).asText());
            }
        }
        return out;
    }

    static Map<String, Object> view(StaffDirectory.StaffMember m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("personId", m.personId());
        v.put("displayName", m.displayName());
        v.put("roles", m.roles().stream().map(Enum::name).sorted().toList());
        v.put("faculties", m.faculties().stream().sorted().toList());
        v.put("grantedBy", m.grantedBy());
        v.put("updatedAt", m.updatedAt().toString());
        return v;
    }
}
