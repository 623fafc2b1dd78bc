package kz.qatysu.tool.staff;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;

import java.net.URI;
import java.util.Optional;

/**
 * The university's OpenID Connect provider for staff sign-in ({@code oidc.*}, env {@code QATYSU_OIDC_…}); off unless
 * {@code oidc.issuer} is set, and then every key is checked at start-up under its own name.
 *
 * @param issuer       {@code oidc.issuer}: the provider's issuer URL exactly as its discovery document and id_tokens
 *                     give it (https; plain http only on loopback); discovery is {@code <issuer>/.well-known/openid-configuration}
 * @param clientId     {@code oidc.clientId}: this tool's client id at the provider
 * @param clientSecret {@code oidc.clientSecret}: its secret (never logged)
 * @param personClaim  {@code oidc.personClaim}: the id_token claim that holds the person id the grants are made to
 *                     ({@code sub} by default; e.g. {@code preferred_username} or a custom person-id claim)
 */
public record OidcSettings(URI issuer, String clientId, Secret clientSecret, String personClaim) {
    public static final String PREFIX = "oidc.";

    public static Optional<OidcSettings> read(ConfigReader r) {
        Optional<String> rawIssuer = r.optionalString(PREFIX + "issuer").filter(s -> !s.isBlank());
        Optional<String> clientId = r.optionalString(PREFIX + "clientId").filter(s -> !s.isBlank());
        Optional<Secret> secret = r.optionalSecret(PREFIX + "clientSecret").filter(s -> !s.reveal().isBlank());
        String claim = r.string(PREFIX + "personClaim", "sub");
        if (rawIssuer.isEmpty()) {
            if (clientId.isPresent()) {
                r.problem(PREFIX + "issuer", "required when oidc.clientId is set (the provider's issuer URL)");
            } else if (secret.isPresent()) {
                r.problem(PREFIX + "issuer", "required when oidc.clientSecret is set (the provider's issuer URL)");
            }
            return Optional.empty();
        }
        Optional<URI> issuer = r.url(PREFIX + "issuer", true);
        if (clientId.isEmpty()) {
            r.problem(PREFIX + "clientId", "required when oidc.issuer is set: this tool's client id at the provider");
        }
        if (secret.isEmpty()) {
            r.problem(PREFIX + "clientSecret", "required when oidc.issuer is set: the client secret the provider issued");
        }
        if (claim.isBlank() || !claim.matches("[A-Za-z0-9_:.\\-/]{1,100}")) {
            r.problem(PREFIX + "personClaim", "a claim name expected (e.g. sub, preferred_username), was '" + claim + "'");
        }
        if (issuer.isEmpty() || clientId.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OidcSettings(issuer.get(), clientId.get(), secret.get(), claim));
    }

    /** The discovery document's address (OpenID Connect Discovery 1.0 §4). */
    public URI discoveryUrl() {
        String base = issuer.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/.well-known/openid-configuration");
    }

    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=<masked>, personClaim=" + personClaim + "]";
    }
}
