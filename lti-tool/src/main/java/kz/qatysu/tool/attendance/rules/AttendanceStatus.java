package kz.qatysu.tool.attendance.rules;

/** A teacher's mark for one student in one class session (regulation 000 §2.11). */
public enum AttendanceStatus {
    PRESENT,
    /** Came late; the mark carries the minutes. Later than the policy's minutes counts as an absence. */
    LATE,
    /** Absent without excuse. */
    ABSENT,
    /** Absent with a permit ("рұқсатнама"); carries the reason and never counts. */
    EXCUSED
}
