package kz.qatysu.tool.course.roster;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.advantage.AdvantageException;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/** {@code /app/{launch}/roster}: the section's teacher takes the course roster from the platform (NRPS). */
public final class RosterHandler {
    private static final Logger log = LoggerFactory.getLogger(RosterHandler.class);

    private final RosterImport roster;
    private final Sessions sessions;
    private final Pages pages;

    public RosterHandler(RosterImport roster, Sessions sessions, Pages pages) {
        this.roster = Objects.requireNonNull(roster, "roster");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    public record RosterPage(Messages t, ToolSession session, String base, String csrf, boolean offered,
                             RosterImport.Result result, String error) {
    }

    /** {@code GET /app/{launch}/roster}: what the import does, and its button when it is offered. */
    public void page(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        render(ctx, 200, s, null, null);
    }

    /** {@code POST /app/{launch}/roster/import}. */
    public void importRoster(Context ctx) {
        ToolSession s = CourseContext.requireTeacher(ctx, sessions);
        sessions.checkCsrf(ctx);
        String sectionId = CourseScope.sectionId(s);
        try {
            render(ctx, 200, s, roster.run(s, sectionId), null);
        } catch (RosterImport.NotOffered e) {
            render(ctx, 409, s, null, s.messages().t("roster.error.notOffered"));
        } catch (AdvantageException e) {
            log.warn("roster of section {} from platform {} unavailable: {}", sectionId, s.platformId(), e.getMessage());
            render(ctx, 502, s, null, s.messages().t("roster.error.platform", e.getMessage()));
        }
    }

    private void render(Context ctx, int status, ToolSession s, RosterImport.Result result, String error) {
        pages.html(ctx, status, "course/roster/import.jte", new RosterPage(s.messages(), s, s.pagesBase(),
                sessions.csrfToken(ctx), roster.offered(s, CourseScope.sectionId(s)), result, error));
    }

}
