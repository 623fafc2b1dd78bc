package kz.qatysu.tool.staff;

import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is staff: the roles and faculties an administrator granted each person id ({@code staff_member},
 * {@code staff_role}, {@code staff_faculty}). Other features ask {@link #hasRole}; sign-ins ask {@link #principal}.
 */
public final class StaffDirectory {
    private final Jdbi jdbi;
    private final Clock clock;

    public StaffDirectory(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** One granted person, as stored. */
    public record StaffMember(String personId, String displayName, Set<StaffRole> roles, Set<String> faculties,
                              String grantedBy, Instant updatedAt) {
    }

    /** True when {@code personId} currently holds {@code role} ({@link StaffRole#ADVISER}: is some student's adviser). */
    public boolean hasRole(String personId, StaffRole role) {
        if (role == StaffRole.ADVISER) {
            return isAdviser(personId);
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM staff_role WHERE person_id = :p AND role = :r")
                .bind("p", personId).bind("r", role.name()).mapTo(Integer.class).findOne().isPresent());
    }

    /** True while the portal names {@code personId} the adviser of at least one student (V175). */
    public boolean isAdviser(String personId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM student_adviser WHERE adviser_id = :p LIMIT 1")
                .bind("p", personId).mapTo(Integer.class).findOne().isPresent());
    }

    public Optional<StaffMember> find(String personId) {
        return jdbi.withHandle(h -> load(h, personId));
    }

    /**
     * The principal of a signed-in person: their current roles (the granted ones, and {@link StaffRole#ADVISER} while
     * they are some student's adviser) and faculties, and the name the administrator gave, else the sign-in's own
     * name, else the person id. Empty when the person holds no role.
     */
    public Optional<StaffPrincipal> principal(String personId, String signInName) {
        Optional<StaffMember> member = find(personId);
        EnumSet<StaffRole> roles = EnumSet.noneOf(StaffRole.class);
        member.ifPresent(m -> roles.addAll(m.roles()));
        if (isAdviser(personId)) {
            roles.add(StaffRole.ADVISER);
        }
        if (roles.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StaffPrincipal(personId, firstNonBlank(member.map(StaffMember::displayName).orElse(null),
                signInName, personId), roles, member.map(StaffMember::faculties).orElse(Set.of())));
    }

    public List<StaffMember> list() {
        return jdbi.withHandle(h -> {
            Map<String, StaffMember> out = new LinkedHashMap<>();
            h.createQuery("SELECT person_id FROM staff_member ORDER BY person_id").mapTo(String.class).list()
                    .forEach(p -> load(h, p).ifPresent(m -> out.put(p, m)));
            return new ArrayList<>(out.values());
        });
    }

    /** Replaces the person's grant (roles, faculties, name) in one transaction. */
    public StaffMember put(StaffGrant grant, String grantedBy) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO staff_member (person_id, display_name, granted_by, updated_at) VALUES (:p, :n, :by, :at)
                            ON CONFLICT (person_id) DO UPDATE SET display_name = EXCLUDED.display_name,
                                granted_by = EXCLUDED.granted_by, updated_at = EXCLUDED.updated_at""")
                    .bind("p", grant.personId()).bind("n", grant.displayName()).bind("by", grantedBy)
                    .bind("at", Utc.of(clock.instant())).execute();
            h.createUpdate("DELETE FROM staff_role WHERE person_id = :p").bind("p", grant.personId()).execute();
            h.createUpdate("DELETE FROM staff_faculty WHERE person_id = :p").bind("p", grant.personId()).execute();
            for (StaffRole r : grant.roles()) {
                h.createUpdate("INSERT INTO staff_role (person_id, role) VALUES (:p, :r)")
                        .bind("p", grant.personId()).bind("r", r.name()).execute();
            }
            for (String f : grant.faculties()) {
                h.createUpdate("INSERT INTO staff_faculty (person_id, faculty) VALUES (:p, :f)")
                        .bind("p", grant.personId()).bind("f", f).execute();
            }
            return load(h, grant.personId()).orElseThrow();
        });
    }

    /** Takes every role away (the person's staff sessions end with their next request). */
    public boolean remove(String personId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM staff_member WHERE person_id = :p")
                .bind("p", personId).execute()) > 0;
    }

    private static Optional<StaffMember> load(Handle h, String personId) {
        Optional<Map.Entry<String[], OffsetDateTime>> row = h.createQuery(
                        "SELECT display_name, granted_by, updated_at FROM staff_member WHERE person_id = :p")
                .bind("p", personId)
                .map((rs, c) -> Map.entry(new String[]{rs.getString(1), rs.getString(2)}, rs.getObject(3, OffsetDateTime.class)))
                .findOne();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        EnumSet<StaffRole> roles = EnumSet.noneOf(StaffRole.class);
        h.createQuery("SELECT role FROM staff_role WHERE person_id = :p").bind("p", personId).mapTo(String.class)
                .forEach(r -> roles.add(StaffRole.valueOf(r)));
        Set<String> faculties = new TreeSet<>(h.createQuery("SELECT faculty FROM staff_faculty WHERE person_id = :p")
                .bind("p", personId).mapTo(String.class).list());
        return Optional.of(new StaffMember(personId, row.get().getKey()[0], roles, faculties, row.get().getKey()[1],
                row.get().getValue().toInstant()));
    }

    /** The faculty of each section ({@code section.faculty}; null = unknown), for scoping the dean's office. */
    public Optional<String> facultyOfSection(String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT faculty FROM section WHERE section_id = :s").bind("s", sectionId)
                .map((rs, c) -> Optional.ofNullable(rs.getString(1))).findOne()).flatMap(f -> f);
    }

    /** Whether a section with this id exists at all (an unknown section answers 404, not 403). */
    public boolean sectionExists(String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM section WHERE section_id = :s").bind("s", sectionId)
                .mapTo(Integer.class).findOne().isPresent());
    }

    /** The ids of the sections whose faculty the principal sees. */
    public Set<String> sectionsOf(StaffPrincipal p) {
        return jdbi.withHandle(h -> {
            Set<String> out = new TreeSet<>();
            h.createQuery("SELECT section_id, faculty FROM section").map((rs, c) -> Map.entry(rs.getString(1),
                            Optional.ofNullable(rs.getString(2))))
                    .forEach(e -> {
                        if (p.seesFaculty(e.getValue().orElse(null))) {
                            out.add(e.getKey());
                        }
                    });
            return out;
        });
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
