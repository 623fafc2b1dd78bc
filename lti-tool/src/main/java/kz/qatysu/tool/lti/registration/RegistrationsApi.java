package kz.qatysu.tool.lti.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.Scope;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code POST /api/v1/admin/registrations}: a one-time dynamic registration URL.
 * Body (optional): {@code {"validFor": "PT24H"}} (ISO-8601 duration, 5 minutes to 30 days, default 24 hours).
 * Answer 201: {@code {"url": "https://tool/lti/register/<code>", "expiresAt": "..."}} — the code is not kept.
 */
public final class RegistrationsApi {
    private final RegistrationCodes codes;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public RegistrationsApi(RegistrationCodes codes, ApiAuth auth, ObjectMapper json) {
        this.codes = codes;
        this.auth = auth;
        this.json = json;
    }

    public void create(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        Duration lifetime = lifetime(ctx.body());
        ctx.header("Cache-Control", "no-store");
        ctx.status(201).json(codes.issue(caller.name(), lifetime).json());
    }

    private Duration lifetime(String body) {
        if (body == null || body.isBlank()) {
            return RegistrationCodes.DEFAULT_LIFETIME;
        }
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (Exception e) {
            throw ApiException.badRequest("request body is not JSON", List.of());
        }
        JsonNode v = n == null ? null : n.get("validFor");
        if (v == null || v.isNull()) {
            return RegistrationCodes.DEFAULT_LIFETIME;
        }
        try {
            Duration d = Duration.parse(v.asText());
            if (d.compareTo(RegistrationCodes.MIN_LIFETIME) < 0 || d.compareTo(RegistrationCodes.MAX_LIFETIME) > 0) {
                throw bad("between PT5M and P30D");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw bad("an ISO-8601 duration such as PT24H");
        }
    }

    private static ApiException bad(String expected) {
        return ApiException.badRequest("invalid registration URL request",
                List.of(new ApiException.Detail("validFor", "must be " + expected)));
    }
}
