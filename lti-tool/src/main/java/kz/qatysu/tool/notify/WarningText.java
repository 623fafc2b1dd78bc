package kz.qatysu.tool.notify;

import kz.qatysu.tool.web.Messages;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The text of one warning, in the recipient's language: which discipline, what happened, the numbers (absence
 * share, hours, the absence budget left) and why. Pure: everything it says comes from {@link Facts}, which hold
 * only the one student's standing in the one section.
 */
public final class WarningText {

    /** What a warning is about. */
    public enum Kind { WARNING, LOCKED, LIFTED }

    /**
     * @param discipline     the section's title, or its id when it has none
     * @param studentName    the student's display name (used in teachers' messages only)
     * @param cause          the history row's cause ({@code StateTransition.Cause} name)
     * @param overrideReason the dean's-office reason when the cause is an override, else null
     */
    public record Facts(Kind kind, String discipline, String studentName, BigDecimal absenceShare, int unexcusedHours,
                        int plannedHours, int absenceBudget, String cause, String overrideReason) {
    }

    public record Text(String subject, String body) {
    }

    private WarningText() {
    }

    /** Who a warning is for: the student, a teacher of the section, or the student's adviser. */
    public enum Recipient {
        STUDENT, TEACHER, ADVISER;

        /** The outbox's {@code recipient_role} ({@code student}, {@code teacher}, {@code adviser}). */
        public static Recipient of(String role) {
            return valueOf(role.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public static Text render(Facts f, boolean toTeacher, Messages t) {
        return render(f, toTeacher ? Recipient.TEACHER : Recipient.STUDENT, t);
    }

    /** A teacher's and an adviser's text name the student; only the student's own text tells them how to excuse. */
    public static Text render(Facts f, Recipient to, Messages t) {
        boolean toTeacher = to != Recipient.STUDENT;
        String share = percent(f.absenceShare(), t.language());
        String subject = t.t("notify.subject." + f.kind(), f.discipline());
        StringBuilder body = new StringBuilder();
        body.append(t.t("notify." + to.name().toLowerCase(java.util.Locale.ROOT) + "." + f.kind(), f.discipline(), share,
                String.valueOf(f.unexcusedHours()), String.valueOf(f.plannedHours()), f.studentName()));
        if (f.kind() != Kind.LOCKED) {
            body.append('\n').append(t.t("notify.budget", String.valueOf(f.absenceBudget())));
        }
        String why = f.cause() == null ? null : t.t("notify.cause." + f.cause(), f.overrideReason() == null ? "" : f.overrideReason());
        if (why != null && !why.startsWith("notify.cause.")) {
            body.append('\n').append(t.t("notify.why", why));
        }
        if (!toTeacher && f.kind() != Kind.LIFTED) {
            body.append("\n\n").append(t.t("notify.help"));
        }
        body.append("\n\n").append(t.t("notify.footer"));
        return new Text(subject, body.toString());
    }

    /** 0.3333 → "33.3" (en) or "33,3" (kk, ru); whole numbers without decimals. */
    static String percent(BigDecimal share, String language) {
        String s = share.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return language.equals("en") ? s : s.replace('.', ',');
    }
}
