package kz.qatysu.tool.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.lti.LtiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps exceptions to responses, once for the whole app: JSON under {@code /api}, a page in the user's language
 * elsewhere. Refused launches log their reason code; nothing ever shows a stack trace.
 */
public final class HttpErrors {
    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

    private final Pages pages;
    private final Messages defaultMessages;
    private final Function<Context, Optional<Messages>> launchLanguage;

    /**
     * @param launchLanguage the language of the launch a request is under, if any: inside a launched course it wins
     *                       over the browser's Accept-Language
     */
    public HttpErrors(Pages pages, Messages defaultMessages, Function<Context, Optional<Messages>> launchLanguage) {
        this.pages = pages;
        this.defaultMessages = defaultMessages;
        this.launchLanguage = launchLanguage;
    }

    /** The page's language: the launch's inside a launched course, else the browser's, else the institution's. */
    private Messages messages(Context ctx) {
        Optional<Messages> launch;
        try {
            launch = launchLanguage.apply(ctx);
        } catch (RuntimeException e) {
            log.warn("could not read the launch of {} for its language: {}", ctx.path(), e.toString());
            launch = Optional.empty();
        }
        return launch.orElseGet(() -> Messages.forLocale(ctx.header("Accept-Language"), defaultMessages));
    }

    public void register(JavalinConfig config) {
        config.routes.exception(LtiException.class, this::lti);
        config.routes.exception(ApiException.class, this::api);
        config.routes.exception(FormInput.Refused.class, this::form);
        config.routes.exception(UploadRefused.class, this::uploadRefused);
        config.routes.exception(HttpResponseException.class, this::http);
        config.routes.exception(Exception.class, this::unexpected);
        config.routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                respond(ctx, 404, "Not found", null);
            }
        });
    }

    /** The refused launch's reason, for the request logger's metrics ({@code qatysu_lti_refusals_total}). */
    public static final String LTI_FAILURE = "qatysu.ltiFailure";

    private void lti(LtiException e, Context ctx) {
        ctx.attribute(LTI_FAILURE, e.failure());
        log.warn("LTI refused [{}] {} {}: {}", e.failure().name(), ctx.method(), ctx.path(), e.getMessage());
        Messages t = e.locale() != null ? Messages.forLocale(e.locale(), messages(ctx)) : messages(ctx);
        String hint = switch (e.failure()) {
            case STATE_NOT_BOUND_TO_BROWSER -> t.t("lti.hint.newWindow");
            case PLATFORM_ERROR -> e.getMessage();
            default -> t.t("lti.hint.retry");
        };
        ctx.header("Cache-Control", "no-store");
        pages.html(ctx, e.failure().status(), "error.jte",
                new ErrorPage(t, e.failure().status(), t.t("lti.error.title"), t.t(e.failure().messageKey()), e.failure().name(), hint));
    }

    private void api(ApiException e, Context ctx) {
        if (e.status() >= 500) {
            log.error("API {} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (!e.details().isEmpty()) {
            body.put("details", e.details());
        }
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(e.status()).json(body);
    }

    private void form(FormInput.Refused e, Context ctx) {
        if (ctx.path().startsWith("/api/")) {
            api(ApiException.badRequest("invalid text in the form: nothing was stored",
                    List.of(new ApiException.Detail(e.field(), e.getMessage()))), ctx);
            return;
        }
        Messages t = messages(ctx);
        pages.html(ctx, 400, "error.jte", new ErrorPage(t, 400, t.t("error.title"), t.t("error.badText", e.field()), null,
                e.field() + ": " + e.getMessage()));
    }

    /** The cap that refused an upload, for the request logger's metrics ({@code qatysu_upload_refusals_total}). */
    public static final String UPLOAD_REFUSED = "qatysu.uploadRefused";

    /** A refused upload: its status, Retry-After and the cap's code in a header and, for scripts, in the JSON body. */
    private void uploadRefused(UploadRefused e, Context ctx) {
        ctx.attribute(UPLOAD_REFUSED, e.reason());
        ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        ctx.header(UploadRefused.HEADER, e.reason().code());
        ctx.header("Cache-Control", "no-store");
        if (e.json() || ctx.path().startsWith("/api/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("refused", e.reason().code());
            body.put("retryAfterSeconds", e.retryAfterSeconds());
            ctx.status(e.status()).json(body);
            return;
        }
        respond(ctx, e.status(), e.getMessage(), null);
    }

    private void http(HttpResponseException e, Context ctx) {
        respond(ctx, e.getStatus(), e.getMessage(), null);
    }

    private void unexpected(Exception e, Context ctx) {
        log.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
        respond(ctx, 500, "Internal server error", null);
    }

    /**
     * What else the page says: the CSRF refusal in the page's language; nothing for 401, 403 and 404 (their page text
     * says it all, and Javalin's "Endpoint GET … not found" is not for people) or a server error; otherwise the
     * refusal's detail, which names what was wrong with the request.
     */
    private static String hint(Messages t, int status, String message) {
        if (message == null || status >= 500 || status == 404) {
            return null;
        }
        if (message.startsWith("CSRF")) {
            return t.t("error.csrf");
        }
        return status == 401 || status == 403 ? null : message;
    }

    private void respond(Context ctx, int status, String message, List<Object> details) {
        if (ctx.path().startsWith("/api/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            if (details != null) {
                body.put("details", details);
            }
            ctx.status(status).json(body);
            return;
        }
        Messages t = messages(ctx);
        String key = switch (status) {
            case 401 -> "error.unauthorized";
            case 403 -> "error.forbidden";
            case 404 -> "error.notFound";
            case 413 -> "error.tooLarge";
            case 415 -> "error.unsupportedEncoding";
            case 429 -> "error.tooManyRequests";
            case 500 -> "error.internal";
            default -> "error.badRequest";
        };
        pages.html(ctx, status, "error.jte", new ErrorPage(t, status, t.t("error.title"), t.t(key), null, hint(t, status, message)));
    }
}
