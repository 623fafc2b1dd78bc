package kz.qatysu.tool.staff;

/**
 * What an administrator can grant a person: the dean's office of some faculties (their sections only), a proctor (the
 * exams they are assigned) and an administrator (platforms, keys, tokens, staff grants).
 */
public enum StaffRole {
    DEANS_OFFICE, PROCTOR, ADMINISTRATOR;

    /** The message key of the role's name on pages. */
    public String messageKey() {
        return "staff.role." + name();
    }
}
