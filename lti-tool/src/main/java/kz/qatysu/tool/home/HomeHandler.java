package kz.qatysu.tool.home;

import io.javalin.http.Context;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Pages;

/** The page a launch lands on: who you are, which course, and what your role lets you do here. */
public final class HomeHandler {
    private final Sessions sessions;
    private final Pages pages;

    public HomeHandler(Sessions sessions, Pages pages) {
        this.sessions = sessions;
        this.pages = pages;
    }

    public void show(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        pages.html(ctx, "home/landing.jte", new LandingPage(s.messages(), s, "/app/" + s.launchKey()));
    }

    public record LandingPage(kz.qatysu.tool.web.Messages t, ToolSession session, String base) {
    }
}
