package kz.qatysu.tool.lti.advantage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import kz.qatysu.tool.lti.platforms.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static kz.qatysu.tool.lti.advantage.AdvantageFixture.TOKEN_PATH;
import static kz.qatysu.tool.lti.advantage.AdvantageFixture.captured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceTokensTest {
    private static final String NRPS = NamesRoles.SCOPE;
    private static final String SCORE = AssignmentsGrades.SCOPE_SCORE;
    private static final String MOODLE_TOKEN = "e76f1880d6497b5e57bbe9e6db3831a8";

    private final AdvantageFixture f = new AdvantageFixture();

    @BeforeEach
    void reset() {
        f.reset();
    }

    @AfterAll
    void close() {
        f.close();
    }

    @Test
    void posts_client_credentials_with_an_rs256_assertion_signed_by_the_current_tool_key() throws Exception {
        Platform platform = f.platform();
        f.tokens().token(platform, List.of(SCORE, NRPS));

        LoggedRequest request = onlyTokenRequest();
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = AdvantageFixture.form(request.getBodyAsString());
        assertThat(form).containsEntry("grant_type", "client_credentials")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .containsEntry("scope", AssignmentsGrades.SCOPE_SCORE + " " + NRPS);

        SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
        RSAKey current = f.keys.signingKey();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(current.getKeyID());
        RSAKey published = f.keys.publicJwks().getKeyByKeyId(current.getKeyID()).toRSAKey();
        assertThat(jwt.verify(new RSASSAVerifier(published))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(AdvantageFixture.CLIENT_ID);
        assertThat(claims.getSubject()).isEqualTo(AdvantageFixture.CLIENT_ID);
        assertThat(claims.getAudience()).containsExactly(f.url(TOKEN_PATH));
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(f.clock.instant());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(claims.getJWTID()).isNotBlank();
    }

    @Test
    void reads_moodles_token_answer_although_it_is_served_as_text_html() {
        AccessToken token = f.tokens().token(f.platform(), Set.of(NRPS));

        assertThat(token.value()).isEqualTo(MOODLE_TOKEN);
        assertThat(token.scopes()).contains(NRPS, SCORE);
        assertThat(token.refreshAfter()).isEqualTo(f.clock.instant().plusSeconds(3600 - 60));
        assertThat(token.toString()).doesNotContain(MOODLE_TOKEN);
    }

    @Test
    void accepts_open_edx_lowercase_bearer_token_type() {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(
                "{\"access_token\":\"eyJopenedx.jwt.token\",\"token_type\":\"bearer\",\"expires_in\":3600,\"scope\":\"" + NRPS + "\"}")));

        assertThat(f.tokens().token(f.platform(), Set.of(NRPS)).value()).isEqualTo("eyJopenedx.jwt.token");
    }

    @Test
    void a_second_call_for_the_same_scopes_reuses_the_cached_token_whatever_their_order() {
        ServiceTokens tokens = f.tokens();
        AccessToken first = tokens.token(f.platform(), List.of(NRPS, SCORE));
        AccessToken second = tokens.token(f.platform(), List.of(SCORE, NRPS));

        assertThat(second).isSameAs(first);
        f.wm.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void another_scope_set_or_another_platform_gets_its_own_token() {
        ServiceTokens tokens = f.tokens();
        tokens.token(f.platform(), Set.of(NRPS));
        tokens.token(f.platform(), Set.of(NRPS, SCORE));
        tokens.token(f.platform(2, "other-client"), Set.of(NRPS));

        f.wm.verify(3, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void the_token_is_refreshed_shortly_before_expires_in_runs_out() {
        ServiceTokens tokens = f.tokens();
        AccessToken first = tokens.token(f.platform(), Set.of(NRPS));

        f.clock.advance(Duration.ofSeconds(3500));
        assertThat(tokens.token(f.platform(), Set.of(NRPS))).isSameAs(first);
        f.wm.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));

        f.clock.advance(Duration.ofSeconds(41));
        AccessToken refreshed = tokens.token(f.platform(), Set.of(NRPS));
        assertThat(refreshed).isNotSameAs(first);
        assertThat(refreshed.refreshAfter()).isEqualTo(f.clock.instant().plusSeconds(3540));
        f.wm.verify(2, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void after_a_key_rotation_the_assertion_is_signed_with_the_new_key() throws Exception {
        String newKid = f.keys.rotate();

        f.tokens().token(f.platform(), Set.of(NRPS));

        SignedJWT jwt = SignedJWT.parse(AdvantageFixture.form(onlyTokenRequest().getBodyAsString()).get("client_assertion"));
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(jwt.verify(new RSASSAVerifier(f.keys.publicJwks().getKeyByKeyId(newKid).toRSAKey()))).isTrue();
    }

    @Test
    void every_assertion_carries_a_new_jti() throws Exception {
        ServiceTokens tokens = f.tokens();
        AccessToken first = tokens.token(f.platform(), Set.of(NRPS));
        tokens.invalidate(f.platform(), Set.of(NRPS), first);
        tokens.token(f.platform(), Set.of(NRPS));

        List<String> jtis = new ArrayList<>();
        for (LoggedRequest r : f.wm.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))) {
            jtis.add(SignedJWT.parse(AdvantageFixture.form(r.getBodyAsString()).get("client_assertion")).getJWTClaimsSet().getJWTID());
        }
        assertThat(jtis).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void concurrent_callers_share_one_in_flight_request() throws Exception {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured("advantage_01_token_request_ok.json").withFixedDelay(300)));
        ServiceTokens tokens = f.tokens();
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens.token(f.platform(), Set.of(NRPS));
                }));
            }
            start.countDown();
            AccessToken first = results.getFirst().get();
            for (Future<AccessToken> r : results) {
                assertThat(r.get()).isSameAs(first);
            }
        }
        f.wm.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));
    }

    @Test
    void concurrent_callers_waiting_on_a_failed_request_all_get_its_error_and_nothing_is_cached() throws Exception {
        // a long answer, so every caller joins the request in flight before it fails
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured("advantage_04_token_error_unknown_client.json").withFixedDelay(1500)));
        ServiceTokens tokens = f.tokens();
        int callers = 4;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<AccessToken>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens.token(f.platform(), Set.of(NRPS));
                }));
            }
            start.countDown();
            for (Future<AccessToken> r : results) {
                assertThatThrownBy(r::get).hasCauseInstanceOf(AdvantageException.class).hasMessageContaining("invalid_client");
            }
        }
        f.wm.verify(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH)));

        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured("advantage_01_token_request_ok.json")));
        assertThat(tokens.token(f.platform(), Set.of(NRPS)).value()).isEqualTo(MOODLE_TOKEN);
    }

    @ParameterizedTest
    @CsvSource({
            "advantage_03_token_error_bad_signature.json, Signature verification failed",
            "advantage_04_token_error_unknown_client.json, invalid_client",
            "advantage_05_token_error_invalid_scope.json, invalid_scope"})
    void a_platform_error_names_platform_endpoint_status_and_error_but_never_the_assertion(String capture, String error) {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured(capture)));

        assertThatThrownBy(() -> f.tokens().token(f.platform(), Set.of(NRPS)))
                .isInstanceOfSatisfying(AdvantageException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.platformId()).isEqualTo(1);
                    assertThat(e.endpoint().toString()).isEqualTo(f.url(TOKEN_PATH));
                    assertThat(e.getMessage()).contains("platform 1", "Moodle test", f.url(TOKEN_PATH), "HTTP 400", error)
                            .doesNotContain("eyJ");
                });
    }

    @Test
    void a_failed_request_is_not_cached_so_the_next_call_asks_again() {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(captured("advantage_04_token_error_unknown_client.json")).willSetStateTo("fixed"));
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("flaky").whenScenarioStateIs("fixed")
                .willReturn(captured("advantage_01_token_request_ok.json")));
        ServiceTokens tokens = f.tokens();

        assertThatThrownBy(() -> tokens.token(f.platform(), Set.of(NRPS))).isInstanceOf(AdvantageException.class);
        assertThat(tokens.token(f.platform(), Set.of(NRPS)).value()).isEqualTo(MOODLE_TOKEN);
    }

    @Test
    void a_non_json_answer_is_an_exception_naming_the_status() {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html>Bad gateway</html>")));

        assertThatThrownBy(() -> f.tokens().token(f.platform(), Set.of(NRPS)))
                .isInstanceOfSatisfying(AdvantageException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.error()).isNull();
                    assertThat(e.getMessage()).contains("HTTP 502");
                });
    }

    @Test
    void a_200_without_an_access_token_is_an_exception() {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("Moodle debugging notice")));

        assertThatThrownBy(() -> f.tokens().token(f.platform(), Set.of(NRPS)))
                .isInstanceOf(AdvantageException.class).hasMessageContaining("not a JSON object");
    }

    @Test
    void a_token_endpoint_that_does_not_answer_in_time_is_an_exception() {
        f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured("advantage_01_token_request_ok.json").withFixedDelay(AdvantageFixture.SLOW_ANSWER_MS)));
        ServiceTokens impatient = new ServiceTokens(f.http, f.keys, f.clock, AdvantageFixture.SHORT_TIMEOUT);

        assertThatThrownBy(() -> impatient.token(f.platform(), Set.of(NRPS)))
                .isInstanceOfSatisfying(AdvantageException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("token request", f.url(TOKEN_PATH), "no answer within");
                });
    }

    @Test
    void neither_the_assertion_nor_the_token_reaches_the_log() {
        Logger logger = (Logger) LoggerFactory.getLogger("kz.qatysu.tool.lti.advantage");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            f.tokens().token(f.platform(), Set.of(NRPS));
            f.wm.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(captured("advantage_04_token_error_unknown_client.json")));
            assertThatThrownBy(() -> f.tokens().token(f.platform(), Set.of(SCORE))).isInstanceOf(AdvantageException.class);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(MOODLE_TOKEN, "eyJ"));
    }

    private LoggedRequest onlyTokenRequest() {
        List<LoggedRequest> requests = f.wm.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withHeader("Accept", equalTo("application/json")));
        assertThat(requests).hasSize(1);
        return requests.getFirst();
    }
}
