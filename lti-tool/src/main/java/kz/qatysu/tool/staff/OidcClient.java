package kz.qatysu.tool.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tool as an OpenID Connect relying party (authorization code flow with PKCE): reads the provider's discovery
 * document, builds the authorization request, exchanges the code and validates the id_token — signature by the
 * provider's JWKS (asymmetric algorithms only), {@code iss}, {@code aud} (and {@code azp}), {@code exp}, {@code iat}
 * and {@code nonce}. The discovery document and the key set are cached; an unknown {@code kid} refetches the keys.
 */
public final class OidcClient {
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Duration CACHE = Duration.ofHours(1);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(10);

    private final OidcSettings settings;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration skew;

    private Provider provider;
    private Instant providerFetched = Instant.MIN;
    private JWKSet keys;
    private Instant keysFetched = Instant.MIN;

    public OidcClient(OidcSettings settings, HttpClient http, Duration timeout, ObjectMapper json, Clock clock, Duration skew) {
        this.settings = settings;
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.skew = skew;
    }

    /** A sign-in that cannot go on; {@code reason} is safe to show and log (never a token). */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }

    /** What the discovery document says about the endpoints this flow uses. */
    public record Provider(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri, boolean clientSecretPost) {
    }

    public OidcSettings settings() {
        return settings;
    }

    /** The provider's endpoints (cached for an hour); its {@code issuer} must be the configured one. */
    public synchronized Provider provider() {
        if (provider != null && clock.instant().isBefore(providerFetched.plus(CACHE))) {
            return provider;
        }
        JsonNode d = getJson(settings.discoveryUrl(), "discovery document");
        String issuer = d.path("issuer").asText("");
        if (!issuer.equals(settings.issuer().toString())) {
            throw new Refused("the discovery document names issuer '" + issuer + "', not the configured oidc.issuer '" + settings.issuer() + "'");
        }
        List<String> methods = new java.util.ArrayList<>();
        d.path("token_endpoint_auth_methods_supported").forEach(m -> methods.add(m.asText()));
        boolean post = !methods.isEmpty() && !methods.contains("client_secret_basic") && methods.contains("client_secret_post");
        provider = new Provider(issuer, endpoint(d, "authorization_endpoint"), endpoint(d, "token_endpoint"), endpoint(d, "jwks_uri"), post);
        providerFetched = clock.instant();
        return provider;
    }

    /** The authorization request: code flow, {@code openid profile} scopes, state, nonce and an S256 PKCE challenge. */
    public URI authorizationRequest(Provider p, URI redirectUri, String state, String nonce, String verifier) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", redirectUri.toString());
        q.put("scope", "openid profile");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        String base = p.authorizationEndpoint().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + form(q));
    }

    /** Exchanges the code for tokens at the token endpoint and returns the id_token's validated claims. */
    public JWTClaimsSet exchange(Provider p, String code, URI redirectUri, String verifier, String nonce) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri.toString());
        f.put("code_verifier", verifier);
        HttpRequest.Builder b = HttpRequest.newBuilder(p.tokenEndpoint()).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (p.clientSecretPost()) {
            f.put("client_id", settings.clientId());
            f.put("client_secret", settings.clientSecret().reveal());
        } else {
            String basic = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(settings.clientSecret().reveal(), StandardCharsets.UTF_8);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = send(b.POST(HttpRequest.BodyPublishers.ofString(form(f))).build(), "token endpoint");
        if (r.statusCode() != 200) {
            JsonNode err = parse(r.body());
            throw new Refused("the token endpoint answered " + r.statusCode()
                    + (err != null && err.hasNonNull("error") ? " " + err.get("error").asText() : ""));
        }
        JsonNode body = parse(r.body());
        if (body == null || !body.path("id_token").isTextual()) {
            throw new Refused("the token endpoint sent no id_token");
        }
        return validate(body.get("id_token").asText(), nonce);
    }

    /** Validates an id_token (OpenID Connect Core 1.0 §3.1.3.7) and returns its claims. */
    public JWTClaimsSet validate(String idToken, String nonce) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(idToken);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Refused("the id_token is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(alg)) {
            throw new Refused("the id_token is signed with " + alg + ", not an asymmetric algorithm this tool accepts");
        }
        if (!verify(jwt, false) && !verify(jwt, true)) {
            throw new Refused("the id_token's signature does not verify with the provider's keys");
        }
        if (!settings.issuer().toString().equals(claims.getIssuer())) {
            throw new Refused("the id_token's iss '" + claims.getIssuer() + "' is not the configured issuer");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(settings.clientId())) {
            throw new Refused("the id_token's aud " + aud + " does not contain this tool's client id");
        }
        Object azp = claims.getClaim("azp");
        if (aud.size() > 1 && !settings.clientId().equals(azp)) {
            throw new Refused("the id_token has several audiences and azp is not this tool's client id");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().plus(skew).isAfter(now)) {
            throw new Refused("the id_token has expired");
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(skew))) {
            throw new Refused("the id_token was issued in the future");
        }
        Object tokenNonce = claims.getClaim("nonce");
        if (!(tokenNonce instanceof String n) || !MessageDigest.isEqual(n.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new Refused("the id_token's nonce is not the one this sign-in sent");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new Refused("the id_token has no sub");
        }
        return claims;
    }

    private boolean verify(SignedJWT jwt, boolean refetch) {
        JWKSet set = keys(refetch);
        if (set == null) {
            return false;
        }
        String kid = jwt.getHeader().getKeyID();
        for (JWK k : set.getKeys()) {
            if (kid != null && !kid.equals(k.getKeyID())) {
                continue;
            }
            if (k.getKeyUse() != null && !"sig".equals(k.getKeyUse().getValue())) {
                continue;
            }
            try {
                Key key = k instanceof RSAKey rsa ? rsa.toRSAPublicKey() : k instanceof ECKey ec ? ec.toECPublicKey() : null;
                if (key == null) {
                    continue;
                }
                JWSVerifier v = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key);
                if (jwt.verify(v)) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key of another type or algorithm: try the next one
            }
        }
        return false;
    }

    /** The provider's key set: cached; {@code refetch} reloads it (at most every 10 s) for a key not seen yet. */
    private synchronized JWKSet keys(boolean refetch) {
        Instant now = clock.instant();
        boolean stale = keys == null || !now.isBefore(keysFetched.plus(CACHE));
        if (stale || (refetch && !now.isBefore(keysFetched.plus(MIN_REFETCH)))) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(provider().jwksUri()).timeout(timeout)
                    .header("Accept", "application/json").GET().build(), "key set");
            if (r.statusCode() != 200) {
                throw new Refused("the provider's key set answered " + r.statusCode());
            }
            try {
                keys = JWKSet.parse(r.body());
            } catch (ParseException e) {
                throw new Refused("the provider's key set is not a JWK set");
            }
            keysFetched = now;
        } else if (refetch) {
            return null;
        }
        return keys;
    }

    private JsonNode getJson(URI url, String what) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build(), what);
        JsonNode body = r.statusCode() == 200 ? parse(r.body()) : null;
        if (body == null || !body.isObject()) {
            throw new Refused("the provider's " + what + " at " + url + " answered " + r.statusCode() + " without a JSON object");
        }
        return body;
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Refused("the provider's " + what + " is not reachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted while calling the provider's " + what);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static URI endpoint(JsonNode d, String field) {
        String v = d.path(field).asText("");
        if (v.isEmpty()) {
            throw new Refused("the discovery document has no " + field);
        }
        try {
            return URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new Refused("the discovery document's " + field + " is not a URL");
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
