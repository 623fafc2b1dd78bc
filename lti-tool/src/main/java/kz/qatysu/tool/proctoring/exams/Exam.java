package kz.qatysu.tool.proctoring.exams;

import java.time.Instant;

/**
 * An exam of a section (issue 10, "Exams"): when it may be sat, whether it is proctored and which checks an examinee
 * goes through before the monitoring starts.
 *
 * @param checks                  what the examinee must do before the exam (only when {@code proctored})
 * @param snapshotIntervalSeconds how often the monitoring window sends a webcam snapshot
 * @param campusAlternative       whether a student without a camera, or who refuses consent, may sit it on campus
 * @param identityTries           how many identity photos a student may submit before going on unverified (flagged)
 * @param version                 raised by every change (optimistic concurrency for editors)
 */
public record Exam(String id, String sectionId, String title, ExamKind kind, Instant opensAt, Instant closesAt,
                   boolean proctored, Checks checks, int snapshotIntervalSeconds, boolean campusAlternative,
                   int identityTries, int version, String createdBy, Instant createdAt, String updatedBy,
                   Instant updatedAt) {

    public enum ExamKind { MIDTERM, FINAL }

    /** The checks before an attempt: ID photo, face match (live face vs the ID and any earlier verified face), room scan, screen share. */
    public record Checks(boolean idPhoto, boolean faceMatch, boolean roomScan, boolean screenShare) {
        public static final Checks ALL = new Checks(true, true, true, true);
        public static final Checks NONE = new Checks(false, false, false, false);
    }

    /** Whether {@code at} falls in the exam's window [opensAt, closesAt). */
    public boolean openAt(Instant at) {
        return !at.isBefore(opensAt) && at.isBefore(closesAt);
    }

    /** The checks in force: none when the exam is not proctored. */
    public Checks requiredChecks() {
        return proctored ? checks : Checks.NONE;
    }
}
