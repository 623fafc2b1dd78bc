package kz.qatysu.tool.lti.advantage;

import java.time.Instant;
import java.util.Objects;

/**
 * An AGS 2.0 score (§3.4). {@code scoreGiven}/{@code scoreMaximum} may be null (no grade, only progress);
 * Moodle keeps {@code scoreGiven} only when grading is {@link GradingProgress#FULLY_GRADED}. The timestamp must be
 * newer than the last score the platform stored for the user, or Moodle answers 409.
 */
public record Score(String userId, Double scoreGiven, Double scoreMaximum, ActivityProgress activityProgress,
                   GradingProgress gradingProgress, Instant timestamp, String comment) {

    public Score {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(activityProgress, "activityProgress");
        Objects.requireNonNull(gradingProgress, "gradingProgress");
        Objects.requireNonNull(timestamp, "timestamp");
        if (scoreGiven != null && scoreMaximum == null) {
            throw new IllegalArgumentException("scoreMaximum is required with scoreGiven");
        }
    }

    /** A final grade: activity Completed, grading FullyGraded. */
    public static Score graded(String userId, double given, double maximum, Instant timestamp, String comment) {
        return new Score(userId, given, maximum, ActivityProgress.COMPLETED, GradingProgress.FULLY_GRADED, timestamp, comment);
    }

    /** AGS 2.0 §3.4.5; {@link #wire()} is the JSON value. */
    public enum ActivityProgress {
        INITIALIZED("Initialized"), STARTED("Started"), IN_PROGRESS("InProgress"), SUBMITTED("Submitted"),
        COMPLETED("Completed");

        private final String wire;

        ActivityProgress(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** AGS 2.0 §3.4.6; {@link #wire()} is the JSON value. */
    public enum GradingProgress {
        FULLY_GRADED("FullyGraded"), PENDING("Pending"), PENDING_MANUAL("PendingManual"), FAILED("Failed"),
        NOT_READY("NotReady");

        private final String wire;

        GradingProgress(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
