package kz.qatysu.tool.attendance.rules;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a standing is what it is, as data: a {@link Code} and the numbers it names. Pages render it from the message
 * keys {@code standing.reason.<CODE>} in the reader's language; the API sends the code and the numbers beside a
 * sentence in the institution's default language ({@code reasonCode}, {@code reasonArgs}, {@code reason}).
 *
 * <p>{@code args} always holds the numbers of {@link #ARGS} for the codes the calculator produces; a message
 * pattern refers to them by their position in {@link #ARGS} ({@code {0}} = unexcusedHours, …).
 */
public record StandingReason(Code code, Map<String, Object> args) {

    public enum Code {
        /** Nothing planned counts yet, so nothing is missed. */
        NOTHING_PLANNED,
        /** Share unit, under the warning threshold: the share and the hours left before the lock. */
        SHARE_OK,
        /** Share unit, at or over the warning threshold. */
        SHARE_WARNING,
        /** Share unit, over the lock threshold. */
        SHARE_LOCKED,
        /** Hours unit, under the warning hours. */
        HOURS_OK,
        /** Hours unit, at or over the warning hours. */
        HOURS_WARNING,
        /** Hours unit, at or over the lock hours. */
        HOURS_LOCKED,
        /** Stored before reasons had codes (V135): the numbers of the row, without the policy's thresholds. */
        SUMMARY
    }

    /** The argument names, in the order message patterns refer to them. */
    public static final List<String> ARGS = List.of("unexcusedHours", "plannedHours", "absentHours",
            "lateAbsenceHours", "lateCount", "excusedHours", "sharePercent", "lockPercent", "warningPercent",
            "budget", "lockHours", "warningHours");

    public StandingReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(args, "args");
        for (String name : args.keySet()) {
            if (!ARGS.contains(name)) {
                throw new IllegalArgumentException("unknown reason argument " + name);
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : ARGS) {
            if (args.containsKey(name)) {
                ordered.put(name, normal(args.get(name)));
            }
        }
        args = Collections.unmodifiableMap(ordered);
    }

    /**
     * A whole number as an Integer, any other number as a BigDecimal: the same reason reads back from its JSON
     * column equal to the one computed (30 % stored as 30 is read as an Integer), so an unchanged standing is not
     * taken for a change.
     */
    private static Object normal(Object value) {
        if (value instanceof Number n && !(value instanceof Integer)) {
            BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            return d.scale() <= 0 ? (Object) d.intValueExact() : d;
        }
        return value;
    }

    /** The arguments by position ({@link #ARGS}); a name this reason lacks is null. */
    public Object[] positional() {
        return ARGS.stream().map(args::get).toArray();
    }

    /** The numbers every reason names, from a standing's own fields (thresholds left out). */
    static Map<String, Object> numbers(int unexcusedHours, int plannedHours, int absentHours, int lateAbsenceHours,
                                       int lateCount, int excusedHours, BigDecimal share, int budget) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unexcusedHours", unexcusedHours);
        m.put("plannedHours", plannedHours);
        m.put("absentHours", absentHours);
        m.put("lateAbsenceHours", lateAbsenceHours);
        m.put("lateCount", lateCount);
        m.put("excusedHours", excusedHours);
        m.put("sharePercent", percent(share));
        m.put("budget", budget);
        return m;
    }

    /** The reason of a row stored before reasons had codes: its numbers only. */
    public static StandingReason summary(int unexcusedHours, int plannedHours, int absentHours, int lateAbsenceHours,
                                         int lateCount, int excusedHours, BigDecimal share, int budget) {
        return new StandingReason(Code.SUMMARY, numbers(unexcusedHours, plannedHours, absentHours, lateAbsenceHours,
                lateCount, excusedHours, share, budget));
    }

    /** A share (0.3125) as the percentage shown, two decimals (31.25). */
    static BigDecimal percent(BigDecimal share) {
        return share.movePointRight(2).setScale(2, java.math.RoundingMode.HALF_UP);
    }
}
