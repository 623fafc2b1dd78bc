package kz.qatysu.tool.lti.login;

import io.javalin.http.Context;
import kz.qatysu.tool.lti.LtiException;
import kz.qatysu.tool.lti.LtiFailure;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.util.Cookies;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * OIDC third-party initiated login (1EdTech Security Framework §5.1.1): {@code GET|POST /lti/login}. Moodle
 * auto-POSTs a form, Open edX sends a GET. An unknown issuer / client is refused here, without a redirect.
 *
 * <p>The {@code state} is a signed value ({@link SignedStates}): nothing is stored at login, any tool node opens it.
 * It is bound to the browser by the {@code qatysu_bid} cookie. When that cookie already comes
 * back, cookies work in this context and the browser is redirected to the platform at once. Otherwise a small page
 * checks that the cookie was kept before redirecting, and when the browser refused it (a third-party iframe that
 * blocks even partitioned cookies), offers to continue in a new window — before the platform's single-use launch
 * hint is spent.
 */
public final class LoginHandler {
    private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);
    public static final String BROWSER_COOKIE = "qatysu_bid";

    private final PlatformService platforms;
    private final SignedStates states;
    private final Pages pages;
    private final Clock clock;
    private final URI launchUrl;
    private final Duration stateLifetime;
    private final boolean secureCookies;
    private final Messages defaultMessages;

    public LoginHandler(PlatformService platforms, SignedStates states, Pages pages, Clock clock, URI launchUrl,
                        Duration stateLifetime, boolean secureCookies, Messages defaultMessages) {
        this.platforms = platforms;
        this.states = states;
        this.pages = pages;
        this.clock = clock;
        this.launchUrl = launchUrl;
        this.stateLifetime = stateLifetime;
        this.secureCookies = secureCookies;
        this.defaultMessages = defaultMessages;
    }

    public void handle(Context ctx) {
        String iss = param(ctx, "iss");
        String loginHint = param(ctx, "login_hint");
        String targetLinkUri = param(ctx, "target_link_uri");
        String clientId = param(ctx, "client_id");
        String messageHint = param(ctx, "lti_message_hint");
        String deploymentId = param(ctx, "lti_deployment_id");
        for (var required : new String[][]{{"iss", iss}, {"login_hint", loginHint}, {"target_link_uri", targetLinkUri}}) {
            if (required[1] == null) {
                throw new LtiException(LtiFailure.MISSING_LOGIN_PARAMETER, "login initiation without " + required[0]);
            }
        }
        Platform platform = platforms.forLogin(iss, clientId).orElseThrow(() -> new LtiException(LtiFailure.UNKNOWN_PLATFORM,
                "no registered platform for iss '" + iss + "'" + (clientId == null ? "" : " and client_id '" + clientId + "'")));
        if (!platform.enabled()) {
            throw new LtiException(LtiFailure.PLATFORM_DISABLED, "platform " + platform.id() + " is disabled");
        }
        if (deploymentId != null && !platform.hasDeployment(deploymentId)) {
            throw new LtiException(LtiFailure.UNKNOWN_DEPLOYMENT, "deployment '" + deploymentId + "' is not registered for platform " + platform.id());
        }

        String browserId = ctx.cookie(BROWSER_COOKIE);
        boolean cookiesProvenToWork = browserId != null && browserId.length() >= 20;
        if (!cookiesProvenToWork) {
            browserId = Tokens.random(24);
        }
        ctx.res().addHeader("Set-Cookie", Cookies.crossSite(BROWSER_COOKIE, browserId, "/", Duration.ofDays(365), secureCookies));
        // the state is signed, not stored: nothing is written to the database at login (see SignedStates)
        String nonce = Tokens.random(24);
        String state = states.issue(new LoginState(null, nonce, platform.id(), Tokens.sha256Hex(browserId), targetLinkUri, deploymentId,
                clock.instant().plus(stateLifetime)));

        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("scope", "openid");
        auth.put("response_type", "id_token");
        auth.put("response_mode", "form_post");
        auth.put("prompt", "none");
        auth.put("client_id", platform.clientId());
        auth.put("redirect_uri", launchUrl.toString());
        auth.put("login_hint", loginHint);
        if (messageHint != null) {
            auth.put("lti_message_hint", messageHint);
        }
        auth.put("state", state);
        auth.put("nonce", nonce);
        String authUrl = platform.authLoginUrl() + (platform.authLoginUrl().getRawQuery() == null ? "?" : "&") + query(auth);
        log.debug("login initiation for platform {} (deployment {})", platform.id(), deploymentId);

        ctx.header("Cache-Control", "no-store");
        if (cookiesProvenToWork || "1".equals(ctx.queryParam("qatysu_window"))) {
            ctx.redirect(authUrl, io.javalin.http.HttpStatus.FOUND);
            return;
        }
        Map<String, String> again = new LinkedHashMap<>();
        for (String name : new String[]{"iss", "login_hint", "target_link_uri", "client_id", "lti_message_hint", "lti_deployment_id"}) {
            String v = param(ctx, name);
            if (v != null) {
                again.put(name, v);
            }
        }
        again.put("qatysu_window", "1");
        Messages t = Messages.forLocale(ctx.header("Accept-Language"), defaultMessages);
        pages.html(ctx, "lti/login/cookie-check.jte", new CookieCheckPage(t, authUrl, ctx.path() + "?" + query(again)));
    }

    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        if (v == null) {
            v = ctx.queryParam(name);
        }
        return v == null || v.isBlank() ? null : v;
    }

    static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The page that checks the browser kept the cookie before sending it to the platform. */
    public record CookieCheckPage(Messages t, String authUrl, String newWindowUrl) {
    }
}
