package kz.qatysu.connectors.portal;

import java.util.List;

/**
 * Where results go back to the portal, for portals that accept them: LMS grades into the journal, attendance marks
 * and absence-lock states from the tool. Every push is idempotent for the same rows (the portal side upserts by key).
 */
public interface PortalSink {

    /** A grade for the portal's journal. */
    record GradeRow(String sectionCode, String personId, String item, String score, String max, String letter) {
    }

    /** An attendance mark taken in the tool. */
    record MarkRow(String sectionCode, String sessionId, String personId, String status, Integer lateMinutes, String reason) {
    }

    /** A student's absence standing in a section (OK / WARNING / LOCKED). */
    record StandingRow(String sectionCode, String personId, String state, String absenceShare, String absentHours,
                       String plannedHours, String reason) {
    }

    /**
     * A proctored exam attempt's current verdict (CLEAN / SUSPICIOUS / VIOLATION) and its score as the gradebook
     * counts it; keyed by the attempt. The proctor's comment stays in the tool.
     */
    record VerdictRow(String sectionCode, String personId, String examId, String examTitle, String attemptId, String verdict,
                      String score, String decidedAt) {
    }

    String describe();

    void pushGrades(List<GradeRow> rows);

    void pushMarks(List<MarkRow> rows);

    void pushStanding(List<StandingRow> rows);

    void pushVerdicts(List<VerdictRow> rows);
}
