package kz.qatysu.tool.staff;

/**
 * What an administrator can grant a person: the dean's office of some faculties (their sections only), a proctor (the
 * exams they are assigned) and an administrator (platforms, keys, tokens, staff grants). {@link #ADVISER} is never
 * granted: a person holds it while the portal names them some student's adviser (table {@code student_adviser}), and
 * it shows them the standing of their own students only.
 */
public enum StaffRole {
    DEANS_OFFICE, PROCTOR, ADMINISTRATOR, ADVISER;

    /** The roles an administrator grants (all but {@link #ADVISER}, which the portal's adviser links imply). */
    public static java.util.List<StaffRole> grantable() {
        return java.util.List.of(DEANS_OFFICE, PROCTOR, ADMINISTRATOR);
    }

    /** The message key of the role's name on pages. */
    public String messageKey() {
        return "staff.role." + name();
    }
}
