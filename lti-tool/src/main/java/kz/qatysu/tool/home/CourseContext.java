package kz.qatysu.tool.home;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;

/** The session of a course page, or 401 with a page saying to launch again from the LMS; 403 for non-teachers where required. */
public final class CourseContext {
    private CourseContext() {
    }

    public static ToolSession require(Context ctx, Sessions sessions) {
        return sessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse(
                "No Qatysu session for this page: open the activity again from your course in Moodle / Open edX."));
    }

    /** The launch of one of the course's teachers (instructor, TA, administrator roles); students and guests get 403. */
    public static ToolSession requireTeacher(Context ctx, Sessions sessions) {
        ToolSession s = require(ctx, sessions);
        if (!s.role().teaches()) {
            throw new ForbiddenResponse("Only the course's teachers may open this page.");
        }
        return s;
    }
}
