package kz.qatysu.tool.attendance.marks;

import org.jdbi.v3.core.Handle;

import java.util.Collection;
import java.util.Map;

/**
 * Approved excuses as the mark import sees them: an ABSENT mark written for a session that an approved excuse of
 * the student covers is stored as EXCUSED with the excuse's reason — whoever writes it and whenever, so a teacher's
 * "all present, then exceptions" after the dean's office approved a medical certificate cannot undo the approval.
 * PRESENT and LATE marks stand (the student came after all).
 */
@FunctionalInterface
public interface ApprovedExcuses {

    /** No excuses (tests of the mark import alone). */
    ApprovedExcuses NONE = (h, sessionId, persons) -> Map.of();

    /** Person → the reason of the newest approved excuse of theirs covering {@code sessionId}, for those that have one. */
    Map<String, String> covering(Handle h, String sessionId, Collection<String> persons);
}
