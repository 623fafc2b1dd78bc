package kz.qatysu.tool.lti.registration;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.util.Cookies;
import kz.qatysu.tool.util.Csrf;
import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.web.ErrorPage;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /lti/register[/<code>]}: the page a platform opens (Moodle: in an iframe) to start dynamic registration.
 * GET shows what will be registered; the confirming POST (CSRF-protected) registers; the last page tells the
 * platform to close the frame.
 */
public final class RegistrationHandler {
    private static final Logger log = LoggerFactory.getLogger(RegistrationHandler.class);
    static final String COOKIE = "qatysu_reg";
    private static final String CSRF_PURPOSE = "dynamic-registration";
    private static final String FRAME_ORIGIN = "qatysu.registration.frameOrigin";

    private final DynamicRegistration registration;
    private final RegistrationCodes codes;
    private final Pages pages;
    private final Messages defaultMessages;
    private final boolean open;
    private final boolean secureCookies;

    public RegistrationHandler(DynamicRegistration registration, RegistrationCodes codes, Pages pages,
                               Messages defaultMessages, boolean open, boolean secureCookies) {
        this.registration = registration;
        this.codes = codes;
        this.pages = pages;
        this.defaultMessages = defaultMessages;
        this.open = open;
        this.secureCookies = secureCookies;
    }

    public void show(Context ctx) {
        allowFramingIfValid(ctx, ctx.queryParam("openid_configuration"));
        Optional<String> code = code(ctx);
        URI configurationUrl = DynamicRegistration.configurationUrl(ctx.queryParam("openid_configuration"));
        allowFramingBy(ctx, configurationUrl);
        code.ifPresent(codes::check);
        PlatformConfiguration platform = registration.fetch(configurationUrl);
        String secret = Tokens.random(32);
        ctx.res().addHeader("Set-Cookie", Cookies.crossSite(COOKIE, secret, "/lti/register", Duration.ofMinutes(30), secureCookies));
        Map<String, Object> request = registration.request(platform);
        @SuppressWarnings("unchecked")
        Map<String, Object> tool = (Map<String, Object>) request.get(ToolRegistrationRequest.TOOL_CONFIGURATION);
        @SuppressWarnings("unchecked")
        List<String> messages = ((List<Map<String, Object>>) tool.get("messages")).stream()
                .map(m -> (String) m.get("type")).toList();
        Messages t = messages(ctx);
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "registration/confirm.jte", new ConfirmPage(t, platform.displayName(), platform.issuer(),
                ToolRegistrationRequest.CLIENT_NAME, (String) request.get("initiate_login_uri"),
                (String) tool.get("target_link_uri"), (String) request.get("jwks_uri"),
                ToolRegistrationRequest.scopes(platform), messages, ToolRegistrationRequest.CLAIMS,
                ctx.path(), Csrf.tokenFor(secret, CSRF_PURPOSE), configurationUrl.toString(),
                Optional.ofNullable(ctx.queryParam("registration_token")).orElse("")));
    }

    public void confirm(Context ctx) {
        allowFramingIfValid(ctx, ctx.formParam("openid_configuration"));
        Optional<String> code = code(ctx);
        URI configurationUrl = DynamicRegistration.configurationUrl(ctx.formParam("openid_configuration"));
        allowFramingBy(ctx, configurationUrl);
        if (!Csrf.matches(ctx.cookie(COOKIE), CSRF_PURPOSE, ctx.formParam(Sessions.CSRF_FIELD))) {
            throw new ForbiddenResponse("CSRF token missing or wrong: open the registration URL again from the platform");
        }
        DynamicRegistration.Registered done = registration.complete(code, configurationUrl, ctx.formParam("registration_token"));
        ctx.res().addHeader("Set-Cookie", Cookies.crossSite(COOKIE, "", "/lti/register", Duration.ZERO, secureCookies));
        Platform p = done.platform();
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, "registration/done.jte", new DonePage(messages(ctx), p.name(), p.issuer(), p.clientId(),
                done.deploymentId(), done.newPlatform(), "moodle".equals(p.productFamily())));
    }

    /** Every refusal as a page in the administrator's language, framed inside the platform that opened it. */
    public void failed(RegistrationException e, Context ctx) {
        log.warn("Dynamic registration refused [{}] {} {}: {}", e.failure().name(), ctx.method(), ctx.path(), e.getMessage());
        Messages t = messages(ctx);
        String origin = ctx.attribute(FRAME_ORIGIN);
        ctx.header("Content-Security-Policy", "frame-ancestors 'self'" + (origin == null ? "" : " " + origin)
                + "; object-src 'none'; base-uri 'self'");
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, e.failure().status(), "error.jte", new ErrorPage(t, e.failure().status(),
                t.t("registration.error.title"), t.t(e.failure().messageKey()), e.failure().name(), e.getMessage()));
    }

    private Optional<String> code(Context ctx) {
        String code = ctx.pathParamMap().get("code");
        if (code != null && !code.isBlank()) {
            return Optional.of(code);
        }
        if (!open) {
            throw new RegistrationException(RegistrationFailure.CODE_REQUIRED,
                    "ask the Qatysu administrator for a one-time registration URL");
        }
        return Optional.empty();
    }

    /**
     * The platform is not registered yet, so the site-wide frame-ancestors (registered platforms only) would block
     * its iframe: allow the origin the configuration is fetched from, which is the origin of the platform.
     */
    private static void allowFramingBy(Context ctx, URI configurationUrl) {
        String origin = Platform.originOf(configurationUrl.toString());
        ctx.attribute(FRAME_ORIGIN, origin);
        ctx.header("Content-Security-Policy", "frame-ancestors 'self' " + origin + "; object-src 'none'; base-uri 'self'");
    }

    /** So that even a refusal (a bad code, say) is shown inside the platform's frame rather than blocked. */
    private static void allowFramingIfValid(Context ctx, String raw) {
        if (raw != null && kz.qatysu.config.ConfigReader.urlProblem(raw.trim(), true) == null) {
            allowFramingBy(ctx, URI.create(raw.trim()));
        }
    }

    private Messages messages(Context ctx) {
        return Messages.forLocale(ctx.header("Accept-Language"), defaultMessages);
    }

    public record ConfirmPage(Messages t, String platformName, String issuer, String clientName, String loginUrl,
                              String launchUrl, String jwksUrl, List<String> scopes, List<String> messages,
                              List<String> claims, String action, String csrf, String openidConfiguration,
                              String registrationToken) {
    }

    public record DonePage(Messages t, String platformName, String issuer, String clientId, String deploymentId,
                           boolean newPlatform, boolean moodle) {
    }
}
