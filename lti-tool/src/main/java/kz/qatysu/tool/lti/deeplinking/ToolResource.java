package kz.qatysu.tool.lti.deeplinking;

import java.util.Optional;

/**
 * What a teacher can place in a course through Deep Linking. The choice travels back in each launch as the custom
 * parameter {@code qatysu_resource}, so one launch URL serves every resource.
 */
public enum ToolResource {
    /** Attendance of the course; carries the "Attendance admission" grade column (1 admitted, 0 locked). */
    ATTENDANCE("attendance", "qatysu-attendance-admission"),
    /** The exam gate: tells a student whether they may sit the assessment, and why. */
    EXAM_GATE("exam-gate", null),
    /** A proctored exam: the custom parameter {@code qatysu_exam} names the exam; students go through the examinee's path. */
    PROCTORED_EXAM("proctored-exam", null);

    public static final String CUSTOM_PARAMETER = "qatysu_resource";

    private final String key;
    private final String lineItemTag;

    ToolResource(String key, String lineItemTag) {
        this.key = key;
        this.lineItemTag = lineItemTag;
    }

    public String key() {
        return key;
    }

    /** The AGS tag of the line item this resource keeps, when it keeps one. */
    public Optional<String> lineItemTag() {
        return Optional.ofNullable(lineItemTag);
    }

    public String titleKey() {
        return "resource." + key + ".title";
    }

    public String descriptionKey() {
        return "resource." + key + ".description";
    }

    public static Optional<ToolResource> fromKey(String key) {
        for (ToolResource r : values()) {
            if (r.key.equals(key)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
