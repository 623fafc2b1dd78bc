package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.ChangeSource;
import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * Told, inside the transaction of the write, which students' standing state ({@code Standing#state()}) changed, and
 * who got their first stored standing — so a decision that depends on the state (the exam admission) is recomputed at
 * once and commits or rolls back with it. A change of the hours or shares alone is not told: most mark saves change
 * those and nothing that a listener reads.
 */
@FunctionalInterface
public interface StandingListener {
    void standingChanged(Handle h, String sectionId, List<String> persons, ChangeSource source);

    StandingListener NONE = (h, sectionId, persons, source) -> {
    };
}
