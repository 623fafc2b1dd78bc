package kz.qatysu.tool.attendance.rules;

/** The state a student's attendance puts them in; ordered from best to worst. */
public enum StandingState {
    OK,
    WARNING,
    /** No access to midterm and intermediate/final assessments. */
    LOCKED;

    boolean isWorseThan(StandingState other) {
        return compareTo(other) > 0;
    }
}
