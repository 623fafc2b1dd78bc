package kz.qatysu.tool.reports;

import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.lti.session.ToolSession;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * People's display names as their own launches last sent them. The attendance API carries person ids only, so
 * reports and the dean's-office pages show the name a person's launch gave, when one did. Names are copied out of
 * the (short-lived) tool sessions into {@code person_name} when looked up, so they outlive the sessions; the
 * person id is derived from a session row by the same rule as {@code CourseScope.personId}.
 */
public final class PersonNames {
    private final Jdbi jdbi;
    private final Clock clock;

    public PersonNames(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Remembers the launching user's name under their person id (no-op when the launch sent no name). */
    public void remember(ToolSession s) {
        if (s.name() == null || s.name().isBlank()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO person_name (person_id, name, updated_at) VALUES (:id, :name, :at)
                        ON CONFLICT (person_id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
                        WHERE person_name.name <> EXCLUDED.name""")
                .bind("id", CourseScope.personId(s)).bind("name", s.name().strip())
                .bind("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).execute());
    }

    public Map<String, String> of(Collection<String> personIds) {
        Map<String, String> out = new HashMap<>();
        if (personIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO person_name (person_id, name, updated_at)
                        SELECT DISTINCT ON (pid) pid, name, created_at FROM (
                            SELECT COALESCE(NULLIF(btrim(person_sourcedid), ''), NULLIF(btrim(username), ''),
                                            'lti-' || platform_id || '-' || subject) AS pid,
                                   btrim(name) AS name, created_at
                            FROM tool_session WHERE name IS NOT NULL AND btrim(name) <> '') s
                        WHERE pid IN (<ids>) ORDER BY pid, created_at DESC
                        ON CONFLICT (person_id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at
                        WHERE person_name.updated_at < EXCLUDED.updated_at AND person_name.name <> EXCLUDED.name""")
                .bindList("ids", personIds).execute());
        jdbi.useHandle(h -> h.createQuery("SELECT person_id, name FROM person_name WHERE person_id IN (<ids>)")
                .bindList("ids", personIds)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    public String of(String personId) {
        return of(java.util.List.of(personId)).getOrDefault(personId, "");
    }
}
