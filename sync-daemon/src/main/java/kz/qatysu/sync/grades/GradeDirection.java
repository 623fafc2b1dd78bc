package kz.qatysu.sync.grades;

/** Which way one assessment item's grades flow. */
public enum GradeDirection {
    /** The portal's journal is the source; grades are written into the LMS gradebook. */
    PORTAL_TO_LMS,
    /** The LMS gradebook is the source; grades are written into the portal's journal (where it accepts them). */
    LMS_TO_PORTAL,
    /** Not synced. */
    NONE
}
