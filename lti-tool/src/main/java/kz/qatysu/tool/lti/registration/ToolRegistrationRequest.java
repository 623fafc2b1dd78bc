package kz.qatysu.tool.lti.registration;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool's registration request (LTI Dynamic Registration 1.0 §3.5.2): an OpenID Connect client registration
 * with the LTI tool configuration claim. Only the scopes and message types the platform advertises are asked for.
 */
public final class ToolRegistrationRequest {
    public static final String TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration";
    public static final String CLIENT_NAME = "Qatysu";
    static final String RESOURCE_LINK = "LtiResourceLinkRequest";
    static final String DEEP_LINKING = "LtiDeepLinkingRequest";

    /** Grades (AGS) and rosters (NRPS), in the order they are sent. */
    public static final List<String> WANTED_SCOPES = List.of(
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly");

    /** Moodle maps name claims to "send names" and email to "send email"; iss and sub are always sent. */
    public static final List<String> CLAIMS = List.of("iss", "sub", "name", "given_name", "family_name", "email");

    private ToolRegistrationRequest() {
    }

    public static List<String> scopes(PlatformConfiguration platform) {
        return WANTED_SCOPES.stream().filter(platform.scopesSupported()::contains).toList();
    }

    public static Map<String, Object> build(URI publicUrl, PlatformConfiguration platform) {
        String launch = publicUrl.resolve("/lti/launch").toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_type", "web");
        body.put("response_types", List.of("id_token"));
        body.put("grant_types", List.of("implicit", "client_credentials"));
        body.put("initiate_login_uri", publicUrl.resolve("/lti/login").toString());
        body.put("redirect_uris", List.of(launch));
        body.put("client_name", CLIENT_NAME);
        body.put("jwks_uri", publicUrl.resolve("/.well-known/jwks.json").toString());
        body.put("token_endpoint_auth_method", "private_key_jwt");
        List<String> scopes = scopes(platform);
        if (!scopes.isEmpty()) {
            body.put("scope", String.join(" ", scopes));
        }
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("domain", publicUrl.getRawAuthority());
        tool.put("target_link_uri", launch);
        tool.put("description", "Qatysu: attendance and exam access for the course");
        tool.put("claims", CLAIMS);
        tool.put("messages", messages(launch, platform));
        body.put(TOOL_CONFIGURATION, tool);
        return body;
    }

    /**
     * Resource link launches are the core of LTI 1.3 and always offered; deep linking only when the platform
     * advertises it. Placements are the ones the platform names for that message (Moodle 4.5: ContentArea).
     */
    static List<Map<String, Object>> messages(String launch, PlatformConfiguration platform) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (platform.messagesSupported().isEmpty() || platform.supportsMessage(RESOURCE_LINK)) {
            out.add(message(RESOURCE_LINK, launch, "Qatysu", platform.messagesSupported().getOrDefault(RESOURCE_LINK, List.of())));
        }
        if (platform.supportsMessage(DEEP_LINKING)) {
            out.add(message(DEEP_LINKING, launch, "Qatysu: add attendance", platform.messagesSupported().get(DEEP_LINKING)));
        }
        return out;
    }

    private static Map<String, Object> message(String type, String target, String label, List<String> placements) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("target_link_uri", target);
        m.put("label", label);
        if (!placements.isEmpty()) {
            m.put("placements", placements);
        }
        return m;
    }
}
