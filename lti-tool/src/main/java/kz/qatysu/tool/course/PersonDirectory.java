package kz.qatysu.tool.course;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Display names by person id (table {@code person}, V50). Launches teach the tool the launching user's name;
 * NRPS rosters may add the others later. A person the tool has not seen yet is shown by their id.
 */
public final class PersonDirectory {
    private final Jdbi jdbi;
    private final Clock clock;

    public PersonDirectory(Jdbi jdbi, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores (or refreshes) a name; {@code source} is {@code launch} or {@code nrps}. Blank names are ignored. */
    public void remember(String personId, String displayName, String source) {
        if (personId == null || displayName == null || displayName.isBlank()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO person (person_id, display_name, source, updated_at)
                        VALUES (:id, :name, :source, :at)
                        ON CONFLICT (person_id) DO UPDATE SET
                            display_name = EXCLUDED.display_name, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
                        WHERE person.display_name IS DISTINCT FROM EXCLUDED.display_name""")
                .bind("id", personId).bind("name", displayName.strip()).bind("source", source)
                .bind("at", clock.instant())
                .execute());
    }

    /** The known names of {@code personIds}; ids without a name are absent from the map. */
    public Map<String, String> names(Collection<String> personIds) {
        Map<String, String> out = new HashMap<>();
        if (personIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT person_id, display_name FROM person WHERE person_id = ANY(:ids)")
                .bind("ids", personIds.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), rs.getString("display_name")))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }
}
