package kz.qatysu.tool.locks;

import io.javalin.http.Context;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.standing.StandingRepository.StoredStanding;
import kz.qatysu.tool.attendance.standing.StandingService;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exam gate (a deep-linkable resource): a student sees whether they may sit the midterm / final assessment and
 * why (their share, the thresholds, a dean's-office override); a teacher sees every student's admission and whether
 * it has reached the LMS gradebook. Students see only their own row.
 */
public final class ExamGateHandler {
    private final Sessions sessions;
    private final StandingService standing;
    private final LockPublisher publisher;
    private final Pages pages;

    public ExamGateHandler(Sessions sessions, StandingService standing, LockPublisher publisher, Pages pages) {
        this.sessions = sessions;
        this.standing = standing;
        this.publisher = publisher;
        this.pages = pages;
    }

    public void show(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        String section = CourseScope.sectionId(s);
        Messages t = s.messages();
        List<StoredStanding> rows = standing.standing(section);
        if (s.role().teaches()) {
            pages.html(ctx, "locks/exam-gate-teacher.jte", new TeacherPage(t, s, rows, publisher.deliveries(section)));
            return;
        }
        String me = CourseScope.personId(s);
        Optional<Standing> mine = rows.stream().filter(r -> r.personId().equals(me)).map(StoredStanding::standing).findFirst();
        pages.html(ctx, "locks/exam-gate-student.jte", new StudentPage(t, s, mine.orElse(null)));
    }

    public record StudentPage(Messages t, ToolSession session, Standing standing) {
        public boolean admitted() {
            return standing != null && standing.state() != kz.qatysu.tool.attendance.rules.StandingState.LOCKED;
        }

        public String sharePercent() {
            return standing == null ? "" : standing.absenceShare().movePointRight(2).stripTrailingZeros().toPlainString() + " %";
        }
    }

    public record TeacherPage(Messages t, ToolSession session, List<StoredStanding> rows, Map<String, LockPublisher.Delivery> deliveries) {
        public String delivery(String personId) {
            LockPublisher.Delivery d = deliveries.get(personId);
            if (d == null) {
                return t.t("examGate.delivery.pending");
            }
            if (d.lastError() != null) {
                return t.t("examGate.delivery.failed", d.lastError());
            }
            return d.postedState() == null ? t.t("examGate.delivery.pending") : t.t("examGate.delivery.posted", d.postedState());
        }

        public String share(Standing st) {
            return st.absenceShare().movePointRight(2).stripTrailingZeros().toPlainString() + " %";
        }
    }
}
