package kz.qatysu.tool.lti.advantage;

/** What the platform did with a score. Other answers are an {@link AdvantageException}. */
public enum ScoreOutcome {
    /** 2xx (Moodle: 200 with an empty body). */
    ACCEPTED,
    /** 409: the platform holds a score with a timestamp at least as new; post again with a newer timestamp if still needed. */
    NOT_NEWER,
    /** 400 with body {@code []} (Moodle): the user is not gradable in this course, e.g. unenrolled or unknown. */
    USER_NOT_GRADABLE
}
