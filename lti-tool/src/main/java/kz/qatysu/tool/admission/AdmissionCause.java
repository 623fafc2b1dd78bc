package kz.qatysu.tool.admission;

/** What made the final exam gate's decision change, recorded in {@code admission_history}. */
public enum AdmissionCause {
    /** A score was stored, changed or removed. */
    SCORE_CHANGED,
    /** The attendance standing changed: a mark, an excuse, the timetable, the absence policy, an attendance override. */
    STANDING_CHANGED,
    /** The section's rating policy changed, or the institution's ({@code admission.*}) between two starts. */
    POLICY_CHANGED,
    /** The dean's office set (or replaced) an admission override. */
    OVERRIDE_SET,
    /** The admission override was withdrawn; the computed decision applies again. */
    OVERRIDE_WITHDRAWN,
    /** A decision stored for the first time for a student enrolled before admission existed. */
    BACKFILL
}
