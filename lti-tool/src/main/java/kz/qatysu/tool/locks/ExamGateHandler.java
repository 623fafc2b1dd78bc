package kz.qatysu.tool.locks;

import io.javalin.http.Context;
import kz.qatysu.tool.admission.AdmissionService;
import kz.qatysu.tool.admission.AdmissionTexts;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.standing.StandingTexts;
import kz.qatysu.tool.attendance.standing.StandingRepository.StoredStanding;
import kz.qatysu.tool.attendance.standing.StandingService;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.home.CourseContext;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.reports.PersonNames;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exam gate (a deep-linkable resource): a student sees the final exam gate as its list of conditions (attendance,
 * rating), each with its numbers and what to do, the dean's-office decision beside them, and the in-term gate
 * (attendance only) for RK1, MT, RK2; a teacher sees every student's admission and whether each score has reached the
 * LMS gradebook. Students see only their own row.
 */
public final class ExamGateHandler {
    private final Sessions sessions;
    private final StandingService standing;
    private final LockPublisher publisher;
    private final Pages pages;
    private final AdmissionService admission;
    private final PersonNames names;

    public ExamGateHandler(Sessions sessions, StandingService standing, LockPublisher publisher, Pages pages,
                           AdmissionService admission, PersonNames names) {
        this.names = names;
        this.sessions = sessions;
        this.standing = standing;
        this.publisher = publisher;
        this.pages = pages;
        this.admission = admission;
    }

    public void show(Context ctx) {
        ToolSession s = CourseContext.require(ctx, sessions);
        String section = CourseScope.sectionId(s);
        Messages t = s.messages();
        if (s.role().teaches()) {
            List<StoredStanding> rows = names.sortedRows(standing.standing(section), StoredStanding::personId, t);
            Map<String, AdmissionService.Row> finals = new java.util.HashMap<>();
            admission.rows(section).forEach(r -> finals.put(r.personId(), r));
            pages.html(ctx, "locks/exam-gate-teacher.jte", new TeacherPage(t, s, rows, publisher.deliveries(section),
                    finals, publisher.examDeliveries(section), names.of(rows.stream().map(StoredStanding::personId).toList())));
            return;
        }
        String me = CourseScope.personId(s);
        Optional<AdmissionService.Row> mine = admission.row(section, me);
        pages.html(ctx, "locks/exam-gate-student.jte", new StudentPage(t, s, mine.map(AdmissionService.Row::standing).orElse(null),
                mine.orElse(null)));
    }

    /** @param row the final exam gate, null when the student is not on the section's roster */
    public record StudentPage(Messages t, ToolSession session, Standing standing, AdmissionService.Row row) {
        public List<AdmissionTexts.Line> finalConditions() {
            return row == null ? List.of() : AdmissionTexts.lines(t, row, row.admission());
        }

        public boolean finalAdmitted() {
            return row != null && row.admission().admitted();
        }

        public Optional<String> finalOverride() {
            return row == null ? Optional.empty() : AdmissionTexts.override(t, row.admission());
        }

        public String computedWas() {
            return t.t("admission.computedWas", AdmissionTexts.verdict(t, row.admission().computedAdmitted()));
        }

        public boolean ratingUnmet() {
            return row != null && !row.rating().admitted();
        }

        public boolean admitted() {
            return standing != null && standing.state() != kz.qatysu.tool.attendance.rules.StandingState.LOCKED;
        }

        public String sharePercent() {
            return standing == null ? "" : StandingTexts.percent(standing.absenceShare());
        }
    }

    public record TeacherPage(Messages t, ToolSession session, List<StoredStanding> rows, Map<String, LockPublisher.Delivery> deliveries,
                              Map<String, AdmissionService.Row> finals, Map<String, LockPublisher.Delivery> examDeliveries,
                              Map<String, String> names) {
        /** The student's name, or their id when the tool knows no name. */
        public String name(String personId) {
            return names.getOrDefault(personId, personId);
        }

        public String delivery(String personId) {
            return delivery(deliveries, personId);
        }

        public String examDelivery(String personId) {
            return delivery(examDeliveries, personId);
        }

        /** The final exam decision with its reasons, e.g. "not admitted: rating below the threshold". */
        public String finalExam(String personId) {
            AdmissionService.Row r = finals.get(personId);
            if (r == null) {
                return "";
            }
            String why = AdmissionTexts.why(t, r.admission());
            return AdmissionTexts.verdict(t, r.admission().admitted()) + (why.isEmpty() ? "" : ": " + why)
                    + AdmissionTexts.override(t, r.admission()).map(o -> ". " + o).orElse("");
        }

        public boolean finalAdmitted(String personId) {
            AdmissionService.Row r = finals.get(personId);
            return r != null && r.admission().admitted();
        }

        public String rating(String personId) {
            AdmissionService.Row r = finals.get(personId);
            return r == null ? "" : AdmissionTexts.line(t, r, r.admission().condition(
                    kz.qatysu.tool.admission.rules.Condition.Kind.RATING).orElseThrow()).text();
        }

        public String exportUrl(String format) {
            return session.pagesBase() + "reports/admission?format=" + format;
        }

        private String delivery(Map<String, LockPublisher.Delivery> deliveries, String personId) {
            LockPublisher.Delivery d = deliveries.get(personId);
            if (d == null) {
                return t.t("examGate.delivery.pending");
            }
            if (d.lastError() != null) {
                String why = t.t("examGate.error." + d.errorCode());
                return t.t("examGate.delivery.failed", d.errorDetail() == null ? why : why + " (" + d.errorDetail() + ")");
            }
            return d.postedState() == null ? t.t("examGate.delivery.pending")
                    : t.t("examGate.delivery.posted", t.t("examGate.posted." + d.postedState()) + ", " + t.dateTime(d.postedAt()));
        }

        public String share(Standing st) {
            return StandingTexts.percent(st.absenceShare());
        }

        /** The badge of a row: the dean's-office decision when there is one, else the state's one name. */
        public String badge(Standing st) {
            return StandingTexts.badge(t, st);
        }
    }
}
