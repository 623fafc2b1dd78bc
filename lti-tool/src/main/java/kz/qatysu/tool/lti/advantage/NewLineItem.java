package kz.qatysu.tool.lti.advantage;

import java.util.Objects;

/** What to create: a line item's label, maximum, resource link, and the tool's own resource id and tag (nullable). */
public record NewLineItem(String label, double scoreMaximum, String resourceLinkId, String resourceId, String tag) {
    public static final String ADMISSION_LABEL = "Attendance admission";
    public static final String ADMISSION_TAG = "qatysu-attendance-admission";
    public static final String EXAM_ADMISSION_LABEL = "Final exam admission";
    public static final String EXAM_ADMISSION_TAG = "qatysu-final-exam-admission";

    public NewLineItem {
        Objects.requireNonNull(label, "label");
        if (label.isBlank()) {
            throw new IllegalArgumentException("a line item needs a label");
        }
        if (!(scoreMaximum > 0)) {
            throw new IllegalArgumentException("scoreMaximum must be positive, was " + scoreMaximum);
        }
    }

    /** The line item the absence lock grades: 1 = admitted, 0 = not admitted, one per resource link. */
    public static NewLineItem attendanceAdmission(String resourceLinkId) {
        return new NewLineItem(ADMISSION_LABEL, 1, Objects.requireNonNull(resourceLinkId, "resourceLinkId"), null, ADMISSION_TAG);
    }

    /** The line item the final exam gate grades (attendance and rating): 1 = admitted, 0 = not, one per resource link. */
    public static NewLineItem examAdmission(String resourceLinkId) {
        return new NewLineItem(EXAM_ADMISSION_LABEL, 1, Objects.requireNonNull(resourceLinkId, "resourceLinkId"), null,
                EXAM_ADMISSION_TAG);
    }
}
