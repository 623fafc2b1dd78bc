package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.web.Messages;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A history row told in the reader's language: the cause ({@code history.cause.<CAUSE>}), the numbers before and
 * after, and what triggered it. Triggers are stored as the writer's English note (the API returns them as stored);
 * the known ones are told here from message keys, anything else is left out of the page rather than shown in English.
 */
public final class HistoryTexts {
    private HistoryTexts() {
    }

    private record Known(Pattern pattern, String key) {
    }

    private static final List<Known> TRIGGERS = List.of(
            new Known(Pattern.compile("marks of session (.+)"), "history.trigger.marks"),
            new Known(Pattern.compile("timetable of section .+"), "history.trigger.timetable"),
            new Known(Pattern.compile("enrolments of section .+"), "history.trigger.enrolments"),
            new Known(Pattern.compile("(?:policy|policy override) of section .+"), "history.trigger.policy"),
            new Known(Pattern.compile("override of \\S+ withdrawn in section .+|dean's office override withdrawn.*"),
                    "history.trigger.overrideWithdrawn"),
            new Known(Pattern.compile("override of \\S+ in section .+|dean's office override (?:ADMITTED|LOCKED).*"),
                    "history.trigger.override"),
            new Known(Pattern.compile("self check-in of \\S+ \\(check-in (\\d+)\\)"), "history.trigger.checkin"),
            new Known(Pattern.compile("excuse #(\\d+) approved by .+"), "history.trigger.excuse"),
            new Known(Pattern.compile("sessions held so far: a session of section .+ started"), "history.trigger.held"),
            new Known(Pattern.compile("online evidence: proposals taken for session (.+)"), "history.trigger.evidence"));

    /** The trigger in this language; "" when it is not one of the known notes. */
    public static String trigger(Messages t, String stored) {
        if (stored == null) {
            return "";
        }
        for (Known k : TRIGGERS) {
            Matcher m = k.pattern().matcher(stored);
            if (m.matches()) {
                return m.groupCount() == 0 ? t.t(k.key()) : t.t(k.key(), m.group(1));
            }
        }
        return "";
    }

    /** "9/32 h (28.13 %)" for the numbers a history row keeps; "—" when none were recorded. */
    public static String numbers(Messages t, Map<String, Object> n) {
        if (n == null) {
            return "—";
        }
        return t.t("history.numbers", n.get("unexcusedHours"), n.get("plannedHours"), n.get("sharePercent"));
    }
}
