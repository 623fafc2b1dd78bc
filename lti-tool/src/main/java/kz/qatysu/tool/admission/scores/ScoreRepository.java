package kz.qatysu.tool.admission.scores;

import kz.qatysu.tool.admission.rules.ComponentScore;
import kz.qatysu.tool.attendance.ChangeSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code assessment_score} table: one score per student and component. Every method runs on the caller's handle. */
public final class ScoreRepository {

    /** A score to store ({@code score} non-null) or to remove ({@code score} null). */
    public record Change(String personId, String component, ComponentScore score) {
    }

    /** Scores of the given students (null = all of the section): person → component → score. */
    public Map<String, Map<String, ComponentScore>> scores(Handle h, String sectionId, Collection<String> persons) {
        Map<String, Map<String, ComponentScore>> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, component, points, max_points FROM assessment_score
                        WHERE section_id = :section AND (CAST(:all AS BOOLEAN) OR person_id = ANY(:persons))""")
                .bind("section", sectionId).bind("all", persons == null)
                .bind("persons", persons == null ? new String[0] : persons.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), new ComponentScore(rs.getString("component"),
                        plain(rs.getBigDecimal("points")), plain(rs.getBigDecimal("max_points")))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(e.getValue().component(), e.getValue()));
        return out;
    }

    /** Applies the changes in two JDBC batches (upserts, removals). */
    public void apply(Handle h, String sectionId, List<Change> changes, ChangeSource source) {
        PreparedBatch upserts = h.prepareBatch("""
                INSERT INTO assessment_score (section_id, person_id, component, points, max_points, updated_by, updated_at)
                VALUES (:section, :person, :component, :points, :max, :by, :at)
                ON CONFLICT (section_id, person_id, component) DO UPDATE SET points = EXCLUDED.points,
                    max_points = EXCLUDED.max_points, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at""");
        PreparedBatch removals = h.prepareBatch("""
                DELETE FROM assessment_score WHERE section_id = :section AND person_id = :person AND component = :component""");
        for (Change c : changes) {
            if (c.score() == null) {
                removals.bind("section", sectionId).bind("person", c.personId()).bind("component", c.component()).add();
            } else {
                upserts.bind("section", sectionId).bind("person", c.personId()).bind("component", c.component())
                        .bind("points", c.score().points()).bind("max", c.score().max())
                        .bind("by", source.by()).bind("at", source.at()).add();
            }
        }
        if (upserts.size() > 0) {
            upserts.execute();
        }
        if (removals.size() > 0) {
            removals.execute();
        }
    }

    /** Without trailing zeros, never in exponent form (100, not 1E+2). */
    static java.math.BigDecimal plain(java.math.BigDecimal d) {
        java.math.BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
