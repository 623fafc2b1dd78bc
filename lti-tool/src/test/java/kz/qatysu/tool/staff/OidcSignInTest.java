package kz.qatysu.tool.staff;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Staff sign-in through a real OpenID Connect provider (mock-oauth2-server on loopback: discovery, authorization
 * code with PKCE, signed id_tokens, JWKS), the whole redirect flow over HTTP: a good sign-in opens a staff session;
 * a wrong nonce, state, iss or aud, another browser, or a person without a role get none.
 */
class OidcSignInTest {
    static final String ISSUER_ID = "uni";
    static final String CLIENT_ID = "qatysu-tool";
    static final HttpClient IDP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static MockOAuth2Server idp;
    static DeansFixture f;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        f = DeansFixture.start(Map.of("QATYSU_OIDC_ISSUER", idp.issuerUrl(ISSUER_ID).toString(),
                "QATYSU_OIDC_CLIENT_ID", CLIENT_ID, "QATYSU_OIDC_CLIENT_SECRET", "oidc-client-secret-0123456789",
                "QATYSU_OIDC_PERSON_CLAIM", "person_id"));
        ok(f.api("PUT", "/api/v1/sections/" + SECTION, "{\"title\":\"" + DeansFixture.SECTION_TITLE
                + "\",\"termStart\":\"2026-09-01\",\"termEnd\":\"2026-12-25\",\"faculty\":\"FIT\"}", RunningTool.ADMIN_TOKEN));
        ok(f.api("PUT", "/api/v1/admin/staff/D-77", "{\"roles\":[\"DEANS_OFFICE\"],\"faculties\":[\"FIT\"]}", RunningTool.ADMIN_TOKEN));
        // the first start reads the provider's discovery document and keys on cold JVMs (a loaded CI machine took over
        // 5 s): done here, so no test's queued token is left behind by a start that timed out
        for (int i = 0; i < 3 && new Browser().get(f.tool.baseUrl() + "/admin/oidc/start").statusCode() != 303; i++) {
            Thread.sleep(1000);
        }
    }

    @AfterAll
    static void stop() {
        f.close();
        idp.shutdown();
    }

    /** The provider issues its next token for {@code personId}, with {@code extra} claims (they may override iss, aud, nonce). */
    static void nextToken(String personId, Map<String, Object> extra) {
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("person_id", personId, "name", "Aigerim Nurlan"));
        claims.putAll(extra);
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-" + personId, "JWT", List.of(CLIENT_ID), claims, 3600));
    }

    /** The browser starts at the tool and follows it to the provider, which logs in and redirects back: the callback URL. */
    static String toCallback(Browser b, java.util.function.UnaryOperator<String> tamperAuthorizationRequest) throws Exception {
        HttpResponse<String> start = b.get(f.tool.baseUrl() + "/admin/oidc/start");
        assertThat(start.statusCode()).isEqualTo(303);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(idp.authorizationEndpointUrl(ISSUER_ID).toString())
                .contains("code_challenge_method=S256", "code_challenge=", "nonce=", "state=", "client_id=" + CLIENT_ID);
        HttpResponse<String> login = IDP.send(HttpRequest.newBuilder(URI.create(tamperAuthorizationRequest.apply(authorize))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        String callback = login.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(f.tool.baseUrl() + "/admin/oidc/callback?");
        return callback;
    }

    @Test
    void a_good_sign_in_opens_a_staff_session_of_the_person_in_the_configured_claim() throws Exception {
        nextToken("D-77", Map.of());
        Browser b = new Browser();
        assertThat(b.get(f.tool.baseUrl() + "/admin").body()).contains("href=\"/admin/oidc/start\"");
        HttpResponse<String> entered = b.get(toCallback(b, s -> s));
        assertThat(entered.statusCode()).isEqualTo(200);
        assertThat(entered.body()).contains("Aigerim Nurlan", "url=/admin");
        HttpResponse<String> sections = b.get(f.tool.baseUrl() + "/admin/sections");
        assertThat(sections.statusCode()).isEqualTo(200);
        assertThat(sections.body()).contains(SECTION);
        // the state is spent: the same callback again opens nothing
        Browser replay = new Browser();
        assertThat(replay.get(f.tool.baseUrl() + "/admin/oidc/callback?" + URI.create(entered.uri().toString()).getRawQuery()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void an_id_token_with_another_nonce_is_refused() throws Exception {
        nextToken("D-77", Map.of("nonce", "not-the-nonce-we-sent"));
        refused(new Browser(), s -> s, 403);
    }

    @Test
    void an_authorization_request_whose_nonce_was_swapped_on_the_way_is_refused() throws Exception {
        nextToken("D-77", Map.of());
        refused(new Browser(), s -> s.replaceAll("nonce=[^&]+", "nonce=attacker-nonce"), 403);
    }

    @Test
    void an_id_token_of_another_issuer_is_refused() throws Exception {
        nextToken("D-77", Map.of("iss", "https://evil.example.kz/" + ISSUER_ID));
        refused(new Browser(), s -> s, 403);
    }

    @Test
    void an_id_token_for_another_client_is_refused() {
        // the provider addresses its id_tokens to the client that redeems the code, so this one is minted directly,
        // signed with the provider's real key, and checked the way the callback checks its id_token
        OidcSettings settings = f.tool.app().settings().oidc().orElseThrow();
        OidcClient client = new OidcClient(settings, IDP, java.time.Duration.ofSeconds(5), DeansFixture.JSON,
                java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(60));
        String forUs = idp.issueToken(ISSUER_ID, CLIENT_ID, new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-D-77", "JWT",
                List.of(CLIENT_ID), Map.of("nonce", "n-1", "person_id", "D-77"), 3600)).serialize();
        String forOther = idp.issueToken(ISSUER_ID, "another-client", new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-D-77", "JWT",
                List.of("another-client"), Map.of("nonce", "n-1", "person_id", "D-77"), 3600)).serialize();
        assertThat(client.validate(forUs, "n-1").getClaim("person_id")).isEqualTo("D-77");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.validate(forOther, "n-1"))
                .isInstanceOf(OidcClient.Refused.class).hasMessageContaining("aud");
    }

    @Test
    void a_callback_with_a_state_the_tool_did_not_issue_is_refused() throws Exception {
        nextToken("D-77", Map.of());
        Browser b = new Browser();
        String callback = toCallback(b, s -> s).replaceAll("state=[^&]+", "state=forged-state");
        assertThat(b.get(callback).statusCode()).isEqualTo(400);
        assertThat(b.get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(401);
    }

    @Test
    void a_callback_in_another_browser_than_the_one_that_started_is_refused() throws Exception {
        nextToken("D-77", Map.of());
        String callback = toCallback(new Browser(), s -> s);
        Browser other = new Browser();
        assertThat(other.get(callback).statusCode()).isEqualTo(403);
        assertThat(other.get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(401);
    }

    @Test
    void a_person_without_a_staff_role_gets_no_session() throws Exception {
        nextToken("P-404", Map.of());
        refused(new Browser(), s -> s, 403);
    }

    static void refused(Browser b, java.util.function.UnaryOperator<String> tamper, int status) throws Exception {
        HttpResponse<String> r = b.get(toCallback(b, tamper));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(b.cookies()).doesNotContainKey("qatysu_admin");
        assertThat(b.get(f.tool.baseUrl() + "/admin/sections").statusCode()).isEqualTo(401);
    }
}
