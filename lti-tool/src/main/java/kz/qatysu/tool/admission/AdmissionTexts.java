package kz.qatysu.tool.admission;

import kz.qatysu.academic.LetterScale;
import kz.qatysu.tool.admission.rules.Admission;
import kz.qatysu.tool.admission.rules.Condition;
import kz.qatysu.tool.admission.rules.Rating;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.web.Messages;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * The sentences of the exam gate in the reader's language, one per condition with its numbers ("Rating: 142 of 300
 * points (47 %, FX), 8 more points needed; RK2 not graded yet"), shared by the student's page, the teacher's and the dean's
 * office's tables and the exports.
 */
public final class AdmissionTexts {
    private AdmissionTexts() {
    }

    /** A share as a whole percentage, truncated: a student short of 50 % never reads "50 %". */
    public static String percent(BigDecimal share) {
        return share.movePointRight(2).setScale(0, RoundingMode.DOWN).toPlainString() + " %";
    }

    /**
     * The letter of Order No. 152 for a rating share, from the one shared scale ({@link LetterScale}). The share is
     * truncated to 4 decimals, so its percentage to 2: every band starts at a whole percentage, so truncation never
     * moves a share across a band's edge (a rating of 94.999… % stays A−).
     */
    public static String letter(BigDecimal share) {
        return LetterScale.of(share.movePointRight(2)).letter();
    }

    /** The attendance share as the standing shows it (e.g. {@code 17.78 %}). */
    public static String absence(Standing s) {
        return s == null ? "0 %" : s.absenceShare().movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }

    public static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    /** One line per condition of the gate, in order. */
    public static List<Line> lines(Messages t, AdmissionService.Row row, Admission gate) {
        return gate.conditions().stream().map(c -> line(t, row, c)).toList();
    }

    /** A condition's sentence and whether it is met. */
    public record Line(Condition.Kind kind, boolean met, String text) {
        public String id() {
            return "condition-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Line line(Messages t, AdmissionService.Row row, Condition c) {
        return switch (c.kind()) {
            case ATTENDANCE -> new Line(c.kind(), c.met(), t.t(c.met() ? "admission.condition.attendance.met"
                    : "admission.condition.attendance.unmet", absence(row.standing())));
            case RATING -> new Line(c.kind(), c.met(), rating(t, row.rating()));
        };
    }

    static String rating(Messages t, Rating r) {
        String text = r.admitted()
                ? t.t("admission.condition.rating.met", plain(r.points()), plain(r.max()), percent(r.share()),
                letter(r.share()))
                : t.t("admission.condition.rating.unmet", plain(r.points()), plain(r.max()), percent(r.share()),
                plain(r.pointsNeeded()), letter(r.share()));
        if (!r.missing().isEmpty()) {
            text += "; " + t.t("admission.condition.rating.missing", String.join(", ", r.missing()));
        }
        return text;
    }

    /** "not admitted: absences over the limit, rating below the threshold" — for tables. */
    public static String why(Messages t, Admission a) {
        return String.join(", ", a.reasons().stream().map(r -> t.t("admission.reason." + r)).toList());
    }

    public static String verdict(Messages t, boolean admitted) {
        return t.t(admitted ? "admission.admitted" : "admission.notAdmitted");
    }

    public static Optional<String> override(Messages t, Admission a) {
        return a.override().map(o -> t.t("admission.override", t.t("admission.override." + o.decision().name()), o.reason()));
    }
}
