package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingOverride;
import kz.qatysu.tool.attendance.rules.StandingReason;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.web.Messages;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A standing told in words, the same way on every page and in the API's {@code reason}: the state's one name, the
 * reason from its code and numbers, and a dean's-office decision with who made it, when and why, beside the state
 * the arithmetic gives without it.
 */
public final class StandingTexts {
    private StandingTexts() {
    }

    /** The one name of a state in this language ({@code state.<STATE>}), used by every page. */
    public static String state(Messages t, StandingState state) {
        return t.t("state." + state.name());
    }

    /**
     * What a badge shows for the state that applies: the decision when the dean's office made one ("Admitted by the
     * dean's office"), else the state's name — never "OK" for a student whose numbers say LOCKED.
     */
    public static String badge(Messages t, Standing s) {
        return s.override().map(o -> t.t("override." + o.decision().name())).orElseGet(() -> state(t, s.state()));
    }

    /** The reason sentence in this language ({@code standing.reason.<CODE>}). */
    public static String reason(Messages t, StandingReason reason) {
        return t.t("standing.reason." + reason.code().name(), reason.positional());
    }

    /** The decision told in full: "Admitted by the dean's office (who, when): «why». Without the decision …: Locked." */
    public static String override(Messages t, StandingOverride o, StandingState computed) {
        return t.t("standing.override.sentence", t.t("standing.decision." + o.decision().name()), o.by(), t.dateTime(o.at()),
                o.reason(), state(t, computed));
    }

    /** The reason and, when there is one, the decision: the API's {@code reason} in the institution's language. */
    public static String sentence(Messages t, Standing s) {
        String reason = reason(t, s.reason());
        return s.override().map(o -> reason + " " + override(t, o, s.computedState())).orElse(reason);
    }

    /** A share (0.3438) as the percentage shown on every page: {@code 34.4 %}. */
    public static String percent(BigDecimal share) {
        return share.multiply(BigDecimal.valueOf(100)).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }
}
