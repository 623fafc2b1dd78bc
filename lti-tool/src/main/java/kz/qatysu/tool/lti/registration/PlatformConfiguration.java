package kz.qatysu.tool.lti.registration;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.config.ConfigReader;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a platform's OpenID configuration (LTI Dynamic Registration 1.0 §3.4) the tool uses.
 *
 * @param messagesSupported message type → placements the platform offers for it (empty list: none named)
 */
public record PlatformConfiguration(URI configurationUrl, String issuer, String authorizationEndpoint,
                                    String tokenEndpoint, String jwksUri, String registrationEndpoint,
                                    List<String> scopesSupported, String productFamily, String version,
                                    Map<String, List<String>> messagesSupported) {
    public static final String PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration";

    /**
     * Reads and checks a fetched configuration: the required fields are present and are http(s) URLs (https unless
     * loopback), and the issuer matches the URL the configuration came from.
     */
    public static PlatformConfiguration parse(URI configurationUrl, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("the answer is not a JSON object");
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")) {
            if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
                missing.add(field);
            }
        }
        JsonNode lti = body.path(PLATFORM_CONFIGURATION);
        if (!lti.isObject()) {
            missing.add(PLATFORM_CONFIGURATION);
        }
        if (!missing.isEmpty()) {
            throw invalid("missing " + String.join(", ", missing));
        }
        String issuer = body.get("issuer").asText().trim();
        // Dynamic Registration §3.5.1: the issuer must match the URL the configuration was fetched from, or a
        // platform could register itself under another platform's issuer.
        if (!issuerMatches(issuer, configurationUrl)) {
            throw new RegistrationException(RegistrationFailure.ISSUER_MISMATCH,
                    "issuer '" + issuer + "' does not match the configuration URL " + configurationUrl);
        }
        for (String field : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")) {
            String problem = ConfigReader.urlProblem(body.get(field).asText().trim(), true);
            if (problem != null) {
                throw invalid(field + ": " + problem);
            }
        }
        List<String> scopes = new ArrayList<>();
        body.path("scopes_supported").forEach(s -> scopes.add(s.asText()));
        Map<String, List<String>> messages = new LinkedHashMap<>();
        // The spec lists objects {type, placements}; early platforms sent plain strings. Accept both.
        for (JsonNode m : lti.path("messages_supported")) {
            if (m.isTextual()) {
                messages.put(m.asText(), List.of());
            } else if (m.path("type").isTextual()) {
                List<String> placements = new ArrayList<>();
                m.path("placements").forEach(p -> placements.add(p.asText()));
                messages.put(m.get("type").asText(), List.copyOf(placements));
            }
        }
        return new PlatformConfiguration(configurationUrl, issuer, body.get("authorization_endpoint").asText().trim(),
                body.get("token_endpoint").asText().trim(), body.get("jwks_uri").asText().trim(),
                body.get("registration_endpoint").asText().trim(), List.copyOf(scopes),
                lti.path("product_family_code").isTextual() ? lti.get("product_family_code").asText() : null,
                lti.path("version").isTextual() ? lti.get("version").asText() : null, messages);
    }

    /**
     * Same scheme, host and port, and the configuration URL's path starts with the issuer's path: a Moodle in a
     * sub-directory has issuer {@code https://host/moodle} and its configuration under {@code /moodle/mod/lti/}.
     */
    static boolean issuerMatches(String issuer, URI configurationUrl) {
        URI iss;
        try {
            iss = new URI(issuer);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (iss.getScheme() == null || iss.getHost() == null || iss.getRawQuery() != null || iss.getRawFragment() != null) {
            return false;
        }
        boolean sameOrigin = iss.getScheme().equalsIgnoreCase(configurationUrl.getScheme())
                && iss.getHost().equalsIgnoreCase(configurationUrl.getHost())
                && port(iss) == port(configurationUrl);
        String issuerPath = iss.getRawPath() == null ? "" : iss.getRawPath().replaceAll("/+$", "");
        String configPath = configurationUrl.getRawPath() == null ? "" : configurationUrl.getRawPath();
        return sameOrigin && (issuerPath.isEmpty() || configPath.equals(issuerPath) || configPath.startsWith(issuerPath + "/"));
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return u.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
    }

    public boolean supportsMessage(String type) {
        return messagesSupported.containsKey(type);
    }

    /** A name for the platform list: product and version when the platform tells them, and the issuer's host. */
    public String displayName() {
        String host = URI.create(issuer).getHost();
        if (productFamily == null) {
            return host;
        }
        String product = productFamily.substring(0, 1).toUpperCase(Locale.ROOT) + productFamily.substring(1);
        return product + (version == null ? "" : " " + version.split(" ")[0]) + " (" + host + ")";
    }

    private static RegistrationException invalid(String detail) {
        return new RegistrationException(RegistrationFailure.OPENID_CONFIGURATION_INVALID, detail);
    }
}
