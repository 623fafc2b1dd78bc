package kz.qatysu.tool.attendance.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/** Test timetables: session S-i starts at 08:00 (+05:00) on day i of a term beginning 2026-09-01. */
final class Term {
    static final OffsetDateTime FIRST = OffsetDateTime.parse("2026-09-01T08:00:00+05:00");
    static final Instant AFTER_TERM = FIRST.plusYears(1).toInstant();

    private Term() {
    }

    static List<PlannedSession> sessions(int count) {
        return sessions(count, 1);
    }

    static List<PlannedSession> sessions(int count, int hours) {
        List<PlannedSession> sessions = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sessions.add(PlannedSession.of(id(i), start(i), hours));
        }
        return sessions;
    }

    static String id(int i) {
        return "S-" + i;
    }

    static OffsetDateTime start(int i) {
        return FIRST.plusDays(i - 1);
    }

    static LocalDate day(int i) {
        return start(i).toLocalDate();
    }

    /** Marks sessions {@code from..to} (inclusive) with {@code mark.apply(i)}. */
    static Map<String, Mark> marks(int from, int to, IntFunction<Mark> mark) {
        Map<String, Mark> marks = new LinkedHashMap<>();
        for (int i = from; i <= to; i++) {
            marks.put(id(i), mark.apply(i));
        }
        return marks;
    }

    static Map<String, Mark> absent(int from, int to) {
        return marks(from, to, i -> Mark.absent(id(i)));
    }

    static Map<String, Mark> merge(Map<String, Mark> first, Map<String, Mark> second) {
        Map<String, Mark> merged = new LinkedHashMap<>(first);
        merged.putAll(second);
        return merged;
    }

    static Standing standing(List<PlannedSession> sessions, Map<String, Mark> marks) {
        return standing(sessions, marks, AbsencePolicy.defaults());
    }

    static Standing standing(List<PlannedSession> sessions, Map<String, Mark> marks, AbsencePolicy policy) {
        return AbsenceCalculator.standing(sessions, marks, null, AFTER_TERM, policy, Optional.empty());
    }
}
