package kz.qatysu.tool.checkin;

/** Why a check-in attempt was refused; each has a message in every UI language ({@code checkin.refused.<name>}). */
public enum Refusal {
    NOT_A_STUDENT, NOT_OPEN, CLOSED, OUTSIDE_WINDOW, WRONG_CODE, IP_NOT_ALLOWED, DEVICE_USED, NOT_ENROLLED,
    SESSION_CANCELLED, TOO_MANY_WRONG_CODES,
    /** The session is for one academic group and the student is not in it. */
    NOT_IN_GROUP;

    public String messageKey() {
        return "checkin.refused." + name();
    }
}
