package kz.qatysu.tool.attendance.policy;

import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.attendance.standing.PolicySource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Objects;
import java.util.Optional;

/**
 * The institution's policy (configuration {@code attendance.policy.*}) with the section's stored overrides
 * (table {@code section_policy}, V90) applied. Reads on the caller's handle when it has one, so a recompute sees the
 * override written in the same transaction and takes no second connection.
 */
public final class StoredPolicySource implements PolicySource {
    private final Jdbi jdbi;
    private final AbsencePolicy institution;

    public StoredPolicySource(Jdbi jdbi, AbsencePolicy institution) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.institution = Objects.requireNonNull(institution, "institution");
    }

    public AbsencePolicy institution() {
        return institution;
    }

    @Override
    public AbsencePolicy forSection(String sectionId) {
        return jdbi.withHandle(h -> forSection(h, sectionId));
    }

    @Override
    public AbsencePolicy forSection(Handle h, String sectionId) {
        return find(h, sectionId).map(o -> effective(o)).orElse(institution);
    }

    /**
     * The override on top of the institution's policy. A stored override that no longer validates (the
     * institution's policy changed under it, e.g. a lowered lockThreshold below the section's warningThreshold)
     * falls back to the institution's policy rather than breaking every write of the section.
     */
    AbsencePolicy effective(SectionPolicyOverride o) {
        AbsencePolicy.Builder b = o.applyTo(institution);
        return b.problems().isEmpty() ? b.build() : institution;
    }

    public Optional<SectionPolicyOverride> find(Handle h, String sectionId) {
        return h.createQuery("SELECT * FROM section_policy WHERE section_id = :s")
                .bind("s", sectionId)
                .map((rs, ctx) -> read(rs))
                .findOne();
    }

    public void save(Handle h, String sectionId, SectionPolicyOverride o) {
        h.createUpdate("""
                        INSERT INTO section_policy (section_id, lock_threshold, warning_threshold,
                            late_minutes_counting_as_absence, lates_per_absence, denominator, unit, lock_hours,
                            warning_hours, updated_by, updated_at)
                        VALUES (:s, :lockThreshold, :warningThreshold, :lateMinutes, :latesPerAbsence, :denominator,
                            :unit, :lockHours, :warningHours, :by, :at)
                        ON CONFLICT (section_id) DO UPDATE SET lock_threshold = excluded.lock_threshold,
                            warning_threshold = excluded.warning_threshold,
                            late_minutes_counting_as_absence = excluded.late_minutes_counting_as_absence,
                            lates_per_absence = excluded.lates_per_absence, denominator = excluded.denominator,
                            unit = excluded.unit, lock_hours = excluded.lock_hours,
                            warning_hours = excluded.warning_hours, updated_by = excluded.updated_by,
                            updated_at = excluded.updated_at""")
                .bind("s", sectionId)
                .bind("lockThreshold", o.lockThreshold())
                .bind("warningThreshold", o.warningThreshold())
                .bind("lateMinutes", o.lateMinutesCountingAsAbsence())
                .bind("latesPerAbsence", o.latesPerAbsence())
                .bind("denominator", o.denominator() == null ? null : o.denominator().name())
                .bind("unit", o.unit() == null ? null : o.unit().name())
                .bind("lockHours", o.lockHours())
                .bind("warningHours", o.warningHours())
                .bind("by", o.by())
                .bind("at", Timestamp.from(o.at()))
                .execute();
    }

    /** @return false when the section had no override */
    public boolean delete(Handle h, String sectionId) {
        return h.createUpdate("DELETE FROM section_policy WHERE section_id = :s").bind("s", sectionId).execute() > 0;
    }

    private static SectionPolicyOverride read(ResultSet rs) throws SQLException {
        String denominator = rs.getString("denominator");
        String unit = rs.getString("unit");
        return new SectionPolicyOverride(
                strip(rs.getBigDecimal("lock_threshold")), strip(rs.getBigDecimal("warning_threshold")),
                (Integer) rs.getObject("late_minutes_counting_as_absence"), (Integer) rs.getObject("lates_per_absence"),
                denominator == null ? null : AbsencePolicy.Denominator.valueOf(denominator),
                unit == null ? null : AbsencePolicy.Unit.valueOf(unit),
                (Integer) rs.getObject("lock_hours"), (Integer) rs.getObject("warning_hours"),
                rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros();
    }
}
