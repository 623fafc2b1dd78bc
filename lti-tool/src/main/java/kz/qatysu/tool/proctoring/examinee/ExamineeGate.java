package kz.qatysu.tool.proctoring.examinee;

import kz.qatysu.tool.admission.AdmissionService;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.proctoring.exams.Exam;

import java.util.Optional;

/**
 * The exam gate in front of the examinee's path (issue 10: "a student who is not admitted never reaches the checks"),
 * the same rule the exam gate page shows: a final needs the final admission (attendance and rating, or the dean's
 * office's decision); a midterm needs an attendance standing that is not LOCKED. A student the tool has no standing
 * for (not on the portal's roster) is not admitted. A pure function.
 */
public final class ExamineeGate {
    private ExamineeGate() {
    }

    public static boolean admitted(Exam.ExamKind kind, Optional<AdmissionService.Row> row) {
        if (row.isEmpty()) {
            return false;
        }
        AdmissionService.Row r = row.get();
        return switch (kind) {
            case FINAL -> r.admission().admitted();
            case MIDTERM -> r.standing() != null && r.standing().state() != StandingState.LOCKED;
        };
    }
}
