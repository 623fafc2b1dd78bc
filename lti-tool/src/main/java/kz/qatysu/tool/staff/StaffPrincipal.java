package kz.qatysu.tool.staff;

import java.util.Set;

/**
 * A signed-in staff member: the person id (the portal's, as a launch carries it), the name to show and write into
 * audit rows, the granted roles and, for the dean's office, the faculties whose sections they see ({@value #ALL}
 * = every faculty).
 */
public record StaffPrincipal(String personId, String displayName, Set<StaffRole> roles, Set<String> faculties) {
    public static final String ALL = "*";

    public StaffPrincipal {
        roles = Set.copyOf(roles);
        faculties = Set.copyOf(faculties);
    }

    public boolean has(StaffRole role) {
        return roles.contains(role);
    }

    /** True for a dean's office of every faculty ({@value #ALL}). */
    public boolean everyFaculty() {
        return faculties.contains(ALL);
    }

    /** Whether the dean's office sees a section of {@code faculty} (null = unknown: only an every-faculty office). */
    public boolean seesFaculty(String faculty) {
        return everyFaculty() || (faculty != null && faculties.contains(faculty));
    }

    /** The actor in audit rows and change sources: {@code staff:P-123 Aigerim N.}. */
    public String actor() {
        return actor(personId, displayName);
    }

    static String actor(String personId, String displayName) {
        return "staff:" + personId + (displayName == null || displayName.isBlank() || displayName.equals(personId) ? "" : " " + displayName);
    }
}
