package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.ChangeSource;
import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Told, inside the transaction of the write, which students' stored standing changed — so a decision that depends on
 * the standing (the exam admission) is recomputed at once and commits or rolls back with it.
 */
@FunctionalInterface
public interface StandingListener {
    void standingChanged(Handle h, String sectionId, List<String> persons, ChangeSource source);

    StandingListener NONE = (h, sectionId, persons, source) -> {
    };
}
