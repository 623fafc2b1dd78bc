package kz.qatysu.tool.course;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one store of people's names by person id (table {@code person}, V50 + V145) and of portal logins (table
 * {@code person_login}). The portal's names come with each roster upload (source {@code portal}) and win; a launch
 * ({@code launch}) or an NRPS roster ({@code nrps}) only fills a gap — the newest of those two wins. A person the tool
 * knows no name of is shown by their id.
 */
public final class PersonDirectory {
    private final Jdbi jdbi;
    private final Clock clock;

    public PersonDirectory(Jdbi jdbi, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A portal person as a roster upload describes them; any part may be null. {@code login} is lower case.
     * {@code adviserId}: null = the upload said nothing (the stored link stays), {@code ""} = no adviser, else the
     * student's adviser (table {@code student_adviser}, V175).
     */
    public record PortalPerson(String personId, PersonName name, String login, String adviserId) {
        public PortalPerson(String personId, PersonName name, String login) {
            this(personId, name, login, null);
        }
    }

    /** Stores (or refreshes) a name; {@code source} is {@code launch} or {@code nrps}. Blank names are ignored. */
    public void remember(String personId, String displayName, String source) {
        remember(personId, new PersonName(displayName, null, null, null), source);
    }

    /**
     * Stores (or refreshes) a name from a launch or NRPS ({@code source} {@code launch} or {@code nrps}); a name
     * the portal sent is never overwritten. A name without any text is ignored.
     */
    public void remember(String personId, PersonName name, String source) {
        if (personId == null || name == null || name.display().isBlank()) {
            return;
        }
        jdbi.useHandle(h -> upsert(h, personId, name, source, clock.instant()));
    }

    /** {@link #remember(String, PersonName, String)} on the caller's handle, in its transaction (a launch's). */
    public void remember(Handle h, String personId, PersonName name, String source) {
        if (personId == null || name == null || name.display().isBlank()) {
            return;
        }
        upsert(h, personId, name, source, clock.instant());
    }

    /** A stored name row as a launch's look-up reads it: the columns {@link #remember} compares. */
    public record Stored(String display, String given, String family, String middle, String source) {
    }

    /**
     * Whether {@link #remember(Handle, String, PersonName, String)} would change the stored row ({@code stored} null:
     * no row) — the rule its SQL applies: a name without text is ignored, a portal name is kept against any other
     * source, and an equal row is left as it is.
     */
    public static boolean wouldChange(Stored stored, PersonName name, String source) {
        if (name == null || name.display().isBlank()) {
            return false;
        }
        if (stored == null) {
            return true;
        }
        if ("portal".equals(stored.source()) && !"portal".equals(source)) {
            return false;
        }
        return !(java.util.Objects.equals(stored.display(), name.display()) && java.util.Objects.equals(stored.given(), name.given())
                && java.util.Objects.equals(stored.family(), name.family()) && java.util.Objects.equals(stored.middle(), name.middle())
                && java.util.Objects.equals(stored.source(), source));
    }

    /**
     * Stores the portal's names, logins and advisers of a roster upload on the caller's handle (its transaction). A
     * login moves to the person who now holds it.
     */
    public void rememberPortal(Handle h, Collection<PortalPerson> people, Instant at) {
        for (PortalPerson p : people) {
            if (p.name() != null && !p.name().display().isBlank()) {
                upsert(h, p.personId(), p.name(), "portal", at);
            }
            if (p.login() != null && !p.login().isBlank()) {
                h.createUpdate("""
                                INSERT INTO person_login (login, person_id, updated_at) VALUES (:login, :id, :at)
                                ON CONFLICT (login) DO UPDATE SET person_id = EXCLUDED.person_id, updated_at = EXCLUDED.updated_at
                                WHERE person_login.person_id <> EXCLUDED.person_id""")
                        .bind("login", p.login()).bind("id", p.personId()).bind("at", at).execute();
                h.createUpdate("DELETE FROM person_login WHERE person_id = :id AND login <> :login")
                        .bind("id", p.personId()).bind("login", p.login()).execute();
            }
            if (p.adviserId() != null && p.adviserId().isEmpty()) {
                h.createUpdate("DELETE FROM student_adviser WHERE student_id = :id").bind("id", p.personId()).execute();
            } else if (p.adviserId() != null) {
                h.createUpdate("""
                                INSERT INTO student_adviser (student_id, adviser_id, updated_at) VALUES (:id, :adviser, :at)
                                ON CONFLICT (student_id) DO UPDATE SET adviser_id = EXCLUDED.adviser_id, updated_at = EXCLUDED.updated_at
                                WHERE student_adviser.adviser_id <> EXCLUDED.adviser_id""")
                        .bind("id", p.personId()).bind("adviser", p.adviserId()).bind("at", at).execute();
            }
        }
    }

    private static void upsert(Handle h, String personId, PersonName name, String source, Instant at) {
        h.createUpdate("""
                        INSERT INTO person (person_id, display_name, given_name, family_name, middle_name, source, updated_at)
                        VALUES (:id, :name, :given, :family, :middle, :source, :at)
                        ON CONFLICT (person_id) DO UPDATE SET
                            display_name = EXCLUDED.display_name, given_name = EXCLUDED.given_name,
                            family_name = EXCLUDED.family_name, middle_name = EXCLUDED.middle_name,
                            source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
                        WHERE (person.source <> 'portal' OR EXCLUDED.source = 'portal')
                          AND (person.display_name, person.given_name, person.family_name, person.middle_name, person.source)
                              IS DISTINCT FROM
                              (EXCLUDED.display_name, EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.middle_name, EXCLUDED.source)""")
                .bind("id", personId).bind("name", name.display())
                .bind("given", name.given()).bind("family", name.family()).bind("middle", name.middle())
                .bind("source", source).bind("at", at)
                .execute();
    }

    /** The known display names of {@code personIds}; ids without a name are absent from the map. */
    public Map<String, String> names(Collection<String> personIds) {
        Map<String, String> out = new HashMap<>();
        entries(personIds).forEach((id, n) -> out.put(id, n.display()));
        return out;
    }

    /** The known names of {@code personIds} with their parts; ids without a name are absent from the map. */
    public Map<String, PersonName> entries(Collection<String> personIds) {
        Map<String, PersonName> out = new HashMap<>();
        if (personIds.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT person_id, display_name, family_name, given_name, middle_name
                        FROM person WHERE person_id = ANY(:ids)""")
                .bind("ids", personIds.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), new PersonName(rs.getString("display_name"),
                        rs.getString("family_name"), rs.getString("given_name"), rs.getString("middle_name"))))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** One person's display name, if known. */
    public Optional<String> name(String personId) {
        return Optional.ofNullable(names(List.of(personId)).get(personId));
    }

    /** {@code personIds} in list order for a page in {@code locale} (see {@link PersonName#sorted}). */
    public List<String> sorted(Collection<String> personIds, Locale locale) {
        return PersonName.sorted(personIds, entries(personIds), locale);
    }

    /** The portal person id whose login (single sign-on username) is {@code login}, as the roster uploads told. */
    public Optional<String> personIdOfLogin(String login) {
        if (login == null || login.isBlank()) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT person_id FROM person_login WHERE login = :login")
                .bind("login", login.strip().toLowerCase(Locale.ROOT)).mapTo(String.class).findOne());
    }
}
