package kz.qatysu.tool.proctoring.exams;

import kz.qatysu.tool.api.InputProblems;

import java.time.Duration;
import java.time.Instant;

/**
 * An exam as a teacher or the dean's office submits it, before it is checked. {@link #validate} names every field that
 * is wrong at once (a pure function, tested exhaustively).
 */
public record ExamDraft(String title, Exam.ExamKind kind, Instant opensAt, Instant closesAt, boolean proctored,
                        Exam.Checks checks, Integer snapshotIntervalSeconds, boolean campusAlternative,
                        Integer identityTries) {
    public static final int DEFAULT_SNAPSHOT_INTERVAL = 10;
    public static final int DEFAULT_IDENTITY_TRIES = 3;
    static final Duration LONGEST_WINDOW = Duration.ofDays(14);

    /** The problems of this draft by field (empty when it may be stored). */
    public InputProblems validate() {
        InputProblems p = new InputProblems();
        if (title == null || title.isBlank()) {
            p.add("title", "required");
        } else if (title.strip().length() > 200) {
            p.add("title", "at most 200 characters");
        } else if (title.chars().anyMatch(c -> Character.isISOControl(c))) {
            p.add("title", "must not contain control characters");
        }
        if (kind == null) {
            p.add("kind", "required: MIDTERM or FINAL");
        }
        if (opensAt == null) {
            p.add("opensAt", "required (ISO-8601 instant)");
        }
        if (closesAt == null) {
            p.add("closesAt", "required (ISO-8601 instant)");
        }
        if (opensAt != null && closesAt != null) {
            if (!closesAt.isAfter(opensAt)) {
                p.add("closesAt", "must be after opensAt");
            } else if (Duration.between(opensAt, closesAt).compareTo(LONGEST_WINDOW) > 0) {
                p.add("closesAt", "the window may be at most 14 days long");
            }
        }
        int interval = snapshotInterval();
        if (interval < 2 || interval > 600) {
            p.add("snapshotIntervalSeconds", "between 2 and 600 seconds, was " + interval);
        }
        int tries = tries();
        if (tries < 1 || tries > 10) {
            p.add("identityTries", "between 1 and 10, was " + tries);
        }
        if (proctored && checks != null && checks.faceMatch() && !checks.idPhoto()) {
            // the face match compares the live face with the ID document's (and any earlier verified face)
            p.add("checks.faceMatch", "needs checks.idPhoto");
        }
        return p;
    }

    public int snapshotInterval() {
        return snapshotIntervalSeconds == null ? DEFAULT_SNAPSHOT_INTERVAL : snapshotIntervalSeconds;
    }

    public int tries() {
        return identityTries == null ? DEFAULT_IDENTITY_TRIES : identityTries;
    }

    public Exam.Checks checksOrNone() {
        return checks == null ? Exam.Checks.NONE : checks;
    }
}
