package kz.qatysu.connectors.portal;

import java.util.Objects;

/**
 * A student or staff member from the portal.
 *
 * @param id     the portal person id (often the IIN) — becomes Moodle {@code idnumber} and LTI {@code lis.person_sourcedid}
 * @param login  the single-sign-on login, lower case — Moodle {@code username}, Open edX username
 * @param kk     name in Kazakh, or null
 * @param ru     name in Russian, or null
 * @param latin  name in Latin script, or null (at least one of the three is present)
 * @param group  academic group (e.g. {@code ИС-21-1}), or null for staff
 * @param photoUrl where the portal keeps the photo for identity checks, or null
 * @param adviser  the person id of the student's adviser (эдвайзер / куратор), or null when the portal names none
 */
public record Person(String id, String login, PersonName kk, PersonName ru, PersonName latin, String email,
                     Role role, Status status, String group, String faculty, String photoUrl, String adviser) {

    public enum Role { STUDENT, TEACHER, STAFF }

    public enum Status { ACTIVE, EXPELLED, GRADUATED, ACADEMIC_LEAVE }

    /** A person without an adviser (staff; a portal that exports none). */
    public Person(String id, String login, PersonName kk, PersonName ru, PersonName latin, String email,
                  Role role, Status status, String group, String faculty, String photoUrl) {
        this(id, login, kk, ru, latin, email, role, status, group, faculty, photoUrl, null);
    }

    public Person {
        Objects.requireNonNull(id, "id");
        if (kk == null && ru == null && latin == null) {
            throw new IllegalArgumentException("a person needs a name in at least one script");
        }
    }

    /** The name in the preferred script, falling back to the others in the order kk, ru, latin. */
    public PersonName name(Script preferred) {
        PersonName first = switch (preferred) {
            case KK -> kk;
            case RU -> ru;
            case LATIN -> latin;
        };
        if (first != null) {
            return first;
        }
        return kk != null ? kk : ru != null ? ru : latin;
    }

    public enum Script { KK, RU, LATIN }
}
