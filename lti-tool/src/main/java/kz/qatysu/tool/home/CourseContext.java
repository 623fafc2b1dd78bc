package kz.qatysu.tool.home;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;

/** The session of a course page, or 401 with a page saying to launch again from the LMS. */
public final class CourseContext {
    private CourseContext() {
    }

    public static ToolSession require(Context ctx, Sessions sessions) {
        return sessions.find(ctx).orElseThrow(() -> new UnauthorizedResponse(
                "No Qatysu session for this page: open the activity again from your course in Moodle / Open edX."));
    }
}
