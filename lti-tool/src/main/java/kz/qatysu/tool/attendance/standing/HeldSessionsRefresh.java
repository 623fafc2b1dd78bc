package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.util.Utc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Standing that depends on the clock is kept true without a write: under the {@code HELD_SO_FAR} denominator a
 * session counts once it has started, so each start changes the shares of the section's students although nobody
 * wrote anything. Every run recomputes the sections with such a policy in which a session started since the last
 * run (the first run looks back {@code firstLookBack}, so starts while the tool was down are caught up); under
 * {@code ALL_PLANNED} (the default) the standing does not depend on the clock and nothing is done.
 */
public final class HeldSessionsRefresh {
    private final AttendanceWrites writes;
    private final StandingService standing;
    private final PolicySource policies;
    private final Clock clock;
    private Instant watermark;

    public HeldSessionsRefresh(AttendanceWrites writes, StandingService standing, PolicySource policies, Clock clock,
                               Duration firstLookBack) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.standing = Objects.requireNonNull(standing, "standing");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watermark = clock.instant().minus(firstLookBack);
    }

    /** What one run did. */
    public record Refreshed(List<String> sections, int standingsChanged) {
    }

    /** One pass (the housekeeping worker calls it every few minutes; runs are not concurrent). */
    public synchronized Refreshed run() {
        Instant now = clock.instant();
        Instant since = watermark;
        List<String> started = writes.jdbi().withHandle(h -> h.createQuery("""
                        SELECT DISTINCT section_id FROM class_session
                        WHERE starts_at > :since AND starts_at <= :now AND cancelled_at IS NULL
                        ORDER BY section_id""")
                .bind("since", Utc.of(since)).bind("now", Utc.of(now))
                .mapTo(String.class).list());
        List<String> refreshed = new ArrayList<>();
        int changed = 0;
        for (String sectionId : started) {
            boolean held = writes.jdbi().withHandle(h -> policies.forSection(h, sectionId).denominator()
                    == AbsencePolicy.Denominator.HELD_SO_FAR);
            if (held) {
                changed += standing.recomputeSection(sectionId, new ChangeSource("system", now,
                        "sessions held so far: a session of section " + sectionId + " started")).size();
                refreshed.add(sectionId);
            }
        }
        watermark = now;
        return new Refreshed(refreshed, changed);
    }
}
