package kz.qatysu.tool.staff;

import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.InputText;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an administrator grants one person: the roles and, for the dean's office, the faculties. {@link #parse} is the
 * one validation of the admin page and the API: every problem is reported under its field, nothing half-stored.
 *
 * @param displayName the name to show and audit; null = the sign-in's own name
 */
public record StaffGrant(String personId, String displayName, Set<StaffRole> roles, Set<String> faculties) {
    static final int MAX_ID = 200;
    static final int MAX_NAME = 200;
    static final int MAX_FACULTY = 64;

    public StaffGrant {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        faculties = Set.copyOf(faculties);
    }

    /**
     * Validates raw input: {@code roles} as typed (enum names), {@code faculties} as typed (codes, {@code *} = every
     * faculty). Problems are added to {@code problems} under {@code personId}, {@code displayName}, {@code roles[i]},
     * {@code faculties[i]}; the grant is returned only when there are none.
     */
    public static StaffGrant parse(String personId, String displayName, List<String> roles, List<String> faculties,
                                   InputProblems problems) {
        int before = problems.list().size();
        String id = personId == null ? "" : personId.strip();
        if (id.isEmpty()) {
            problems.add("personId", "required: the person's id in the portal (as launches carry it), e.g. P-123");
        } else if (id.length() > MAX_ID) {
            problems.add("personId", "at most " + MAX_ID + " characters");
        } else if (InputText.idProblem(id) != null) {
            problems.add("personId", InputText.idProblem(id));
        }
        String name = displayName == null || displayName.isBlank() ? null : displayName.strip();
        if (name != null && name.length() > MAX_NAME) {
            problems.add("displayName", "at most " + MAX_NAME + " characters");
        } else if (name != null && InputText.idProblem(name) != null) {
            problems.add("displayName", InputText.idProblem(name));
        }
        EnumSet<StaffRole> granted = EnumSet.noneOf(StaffRole.class);
        if (roles.isEmpty()) {
            problems.add("roles", "at least one of DEANS_OFFICE, PROCTOR, ADMINISTRATOR (to take every role away, revoke)");
        }
        for (int i = 0; i < roles.size(); i++) {
            try {
                StaffRole role = StaffRole.valueOf(roles.get(i).strip());
                if (role == StaffRole.ADVISER) {
                    problems.add("roles[" + i + "]", "ADVISER is not granted: a person is an adviser while the portal names them "
                            + "a student's adviser (adviserId of the roster upload)");
                } else {
                    granted.add(role);
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("roles[" + i + "]", "one of DEANS_OFFICE, PROCTOR, ADMINISTRATOR expected, was '" + roles.get(i) + "'");
            }
        }
        Set<String> codes = new LinkedHashSet<>();
        List<String> typed = new ArrayList<>(faculties);
        for (int i = 0; i < typed.size(); i++) {
            String f = typed.get(i) == null ? "" : typed.get(i).strip();
            if (f.isEmpty() || f.length() > MAX_FACULTY || f.chars().anyMatch(Character::isWhitespace) || InputText.idProblem(f) != null) {
                problems.add("faculties[" + i + "]", "a faculty code without spaces (at most " + MAX_FACULTY
                        + " characters) or * for every faculty, was '" + f + "'");
            } else {
                codes.add(f);
            }
        }
        if (granted.contains(StaffRole.DEANS_OFFICE) && typed.isEmpty()) {
            problems.add("faculties", "the dean's office needs at least one faculty (or * for every faculty)");
        }
        if (!granted.contains(StaffRole.DEANS_OFFICE) && !typed.isEmpty()) {
            problems.add("faculties", "only the DEANS_OFFICE role is scoped to faculties");
        }
        return problems.list().size() == before ? new StaffGrant(id, name, granted, codes) : null;
    }
}
