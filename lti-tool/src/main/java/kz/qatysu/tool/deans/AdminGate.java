package kz.qatysu.tool.deans;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.util.Csrf;
import kz.qatysu.tool.web.Messages;

/**
 * The dean's-office pages sit inside the admin area: the same sign-in ({@code /admin}), the same session cookie
 * (path {@code /admin}) and the same CSRF tokens as {@code AdminHandler}'s forms.
 */
public final class AdminGate {
    /** The purpose AdminHandler derives its form tokens for; shared so one token serves every admin form. */
    private static final String CSRF_PURPOSE = "admin";

    private final AdminSessions sessions;
    private final Messages defaultMessages;

    public AdminGate(AdminSessions sessions, Messages defaultMessages) {
        this.sessions = sessions;
        this.defaultMessages = defaultMessages;
    }

    /** The signed-in administrator of a page request, else 401 (sign in at /admin). */
    public AdminSessions.AdminSession page(Context ctx) {
        return sessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse("sign in at /admin first"));
    }

    /** The signed-in administrator of a form POST whose CSRF token matches, else 401 / 403. */
    public AdminSessions.AdminSession post(Context ctx) {
        AdminSessions.AdminSession s = page(ctx);
        if (!Csrf.matches(s.secret(), CSRF_PURPOSE, ctx.formParam(Sessions.CSRF_FIELD))) {
            throw new ForbiddenResponse("CSRF token missing or wrong: reload the page");
        }
        return s;
    }

    public String csrf(AdminSessions.AdminSession s) {
        return Csrf.tokenFor(s.secret(), CSRF_PURPOSE);
    }

    /** The name written into audit rows: {@code web:<token name>}, as the platform pages do. */
    public static String actor(AdminSessions.AdminSession s) {
        return "web:" + s.actor();
    }

    public Messages messages(Context ctx) {
        return Messages.forLocale(ctx.header("Accept-Language"), defaultMessages);
    }
}
