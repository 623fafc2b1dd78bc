package kz.qatysu.tool.admission;

import kz.qatysu.tool.admission.rules.AdmissionOverride;
import kz.qatysu.tool.attendance.ChangeSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The final exam gate's stored decisions ({@code admission}), their history and the dean's-office admission overrides.
 * Every method runs on the caller's handle.
 */
public final class AdmissionRepository {

    /** The part of a decision that is stored, compared and posted to the LMS. */
    public record Decision(boolean admitted, boolean computedAdmitted, List<String> reasons, String attendanceState,
                           BigDecimal points, BigDecimal max, BigDecimal share, List<String> missing,
                           String overrideDecision) {
        public Decision {
            reasons = List.copyOf(reasons);
            missing = List.copyOf(missing);
            points = points.stripTrailingZeros();
            max = max.stripTrailingZeros();
            share = share.stripTrailingZeros();
        }

        String numbers() {
            return points.toPlainString() + "/" + max.toPlainString() + " points (" + share.toPlainString()
                    + "), attendance " + attendanceState + ", " + (admitted ? "admitted" : "not admitted")
                    + (overrideDecision != null ? " by override" : "")
                    + (reasons.isEmpty() ? "" : " " + reasons);
        }
    }

    /** A recomputed decision to store and its previous one (null for a student seen for the first time). */
    public record Changed(String personId, Decision previous, Decision next) {
    }

    public Map<String, Decision> stored(Handle h, String sectionId, Collection<String> persons) {
        Map<String, Decision> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, admitted, computed_admitted, reasons, attendance_state, rating_points,
                               rating_max, rating_share, missing, override_decision
                        FROM admission WHERE section_id = :section AND person_id = ANY(:persons)""")
                .bind("section", sectionId).bind("persons", persons.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), new Decision(rs.getBoolean("admitted"),
                        rs.getBoolean("computed_admitted"), texts(rs.getArray("reasons")), rs.getString("attendance_state"),
                        rs.getBigDecimal("rating_points"), rs.getBigDecimal("rating_max"), rs.getBigDecimal("rating_share"),
                        texts(rs.getArray("missing")), rs.getString("override_decision"))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Upserts the changed decisions and appends one history row each, in two JDBC batches. */
    public void save(Handle h, String sectionId, List<Changed> changed, AdmissionCause cause, ChangeSource source) {
        if (changed.isEmpty()) {
            return;
        }
        PreparedBatch upserts = h.prepareBatch("""
                INSERT INTO admission (section_id, person_id, admitted, computed_admitted, reasons, attendance_state,
                                       rating_points, rating_max, rating_share, missing, override_decision, computed_at)
                VALUES (:section, :person, :admitted, :computed, :reasons, :attendance, :points, :max, :share, :missing,
                        :override, :at)
                ON CONFLICT (section_id, person_id) DO UPDATE SET admitted = EXCLUDED.admitted,
                    computed_admitted = EXCLUDED.computed_admitted, reasons = EXCLUDED.reasons,
                    attendance_state = EXCLUDED.attendance_state, rating_points = EXCLUDED.rating_points,
                    rating_max = EXCLUDED.rating_max, rating_share = EXCLUDED.rating_share, missing = EXCLUDED.missing,
                    override_decision = EXCLUDED.override_decision, computed_at = EXCLUDED.computed_at""");
        PreparedBatch history = h.prepareBatch("""
                INSERT INTO admission_history (section_id, person_id, from_admitted, to_admitted, computed_from,
                                               computed_to, reasons, cause, detail, trigger, by_caller, at)
                VALUES (:section, :person, :from, :to, :cFrom, :cTo, :reasons, :cause, :detail, :trigger, :by, :at)""");
        for (Changed c : changed) {
            Decision d = c.next();
            upserts.bind("section", sectionId).bind("person", c.personId()).bind("admitted", d.admitted())
                    .bind("computed", d.computedAdmitted()).bind("reasons", d.reasons().toArray(String[]::new))
                    .bind("attendance", d.attendanceState()).bind("points", d.points()).bind("max", d.max())
                    .bind("share", d.share()).bind("missing", d.missing().toArray(String[]::new))
                    .bind("override", d.overrideDecision()).bind("at", source.at()).add();
            Decision p = c.previous();
            history.bind("section", sectionId).bind("person", c.personId())
                    .bind("from", p == null ? null : p.admitted()).bind("to", d.admitted())
                    .bind("cFrom", p == null ? null : p.computedAdmitted()).bind("cTo", d.computedAdmitted())
                    .bind("reasons", d.reasons().toArray(String[]::new)).bind("cause", cause.name())
                    .bind("detail", (p == null ? "nothing recorded" : p.numbers()) + " → " + d.numbers())
                    .bind("trigger", source.trigger()).bind("by", source.by()).bind("at", source.at()).add();
        }
        upserts.execute();
        history.execute();
    }

    /** The decision history of one student, oldest first. */
    public List<Map<String, Object>> history(Handle h, String sectionId, String personId) {
        return h.createQuery("""
                        SELECT from_admitted, to_admitted, computed_from, computed_to, reasons, cause, detail, trigger,
                               by_caller, at
                        FROM admission_history WHERE section_id = :section AND person_id = :person ORDER BY id""")
                .bind("section", sectionId).bind("person", personId)
                .map((rs, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("from", rs.getObject("from_admitted"));
                    m.put("to", rs.getBoolean("to_admitted"));
                    m.put("computedFrom", rs.getObject("computed_from"));
                    m.put("computedTo", rs.getBoolean("computed_to"));
                    m.put("reasons", texts(rs.getArray("reasons")));
                    m.put("cause", rs.getString("cause"));
                    m.put("detail", rs.getString("detail"));
                    m.put("trigger", rs.getString("trigger"));
                    m.put("by", rs.getString("by_caller"));
                    m.put("at", rs.getObject("at", OffsetDateTime.class).toInstant().toString());
                    return m;
                })
                .list();
    }

    public Map<String, AdmissionOverride> activeOverrides(Handle h, String sectionId, Collection<String> persons) {
        Map<String, AdmissionOverride> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, decision, reason, set_by, set_at FROM admission_override
                        WHERE section_id = :section AND (CAST(:all AS BOOLEAN) OR person_id = ANY(:persons))
                          AND withdrawn_at IS NULL""")
                .bind("section", sectionId).bind("all", persons == null)
                .bind("persons", persons == null ? new String[0] : persons.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), new AdmissionOverride(
                        AdmissionOverride.Decision.valueOf(rs.getString("decision")), rs.getString("reason"),
                        rs.getString("set_by"), rs.getObject("set_at", OffsetDateTime.class).toInstant())))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public Optional<AdmissionOverride> activeOverride(Handle h, String sectionId, String personId) {
        return Optional.ofNullable(activeOverrides(h, sectionId, List.of(personId)).get(personId));
    }

    public void insertOverride(Handle h, String sectionId, String personId, AdmissionOverride o) {
        h.createUpdate("""
                        INSERT INTO admission_override (section_id, person_id, decision, reason, set_by, set_at)
                        VALUES (:section, :person, :decision, :reason, :by, :at)""")
                .bind("section", sectionId).bind("person", personId).bind("decision", o.decision().name())
                .bind("reason", o.reason()).bind("by", o.by()).bind("at", o.at())
                .execute();
    }

    /** Marks the active override withdrawn (kept as history); false when there was none. */
    public boolean withdrawOverride(Handle h, String sectionId, String personId, ChangeSource source) {
        return h.createUpdate("""
                        UPDATE admission_override SET withdrawn_by = :by, withdrawn_at = :at
                        WHERE section_id = :section AND person_id = :person AND withdrawn_at IS NULL""")
                .bind("section", sectionId).bind("person", personId).bind("by", source.by()).bind("at", source.at())
                .execute() > 0;
    }

    /** Sections with at least one stored decision. */
    public List<String> sectionsWithDecisions(Handle h) {
        return h.createQuery("SELECT DISTINCT section_id FROM admission ORDER BY section_id").mapTo(String.class).list();
    }

    /** Sections with enrolled students whose decision was never stored (e.g. enrolled before V100). */
    public List<String> sectionsWithoutDecisions(Handle h) {
        return h.createQuery("""
                        SELECT DISTINCT e.section_id FROM enrolment e
                        WHERE e.role = 'student' AND e.withdrawn_at IS NULL
                          AND NOT EXISTS (SELECT 1 FROM admission a WHERE a.section_id = e.section_id AND a.person_id = e.person_id)
                        ORDER BY e.section_id""")
                .mapTo(String.class).list();
    }

    private static List<String> texts(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
