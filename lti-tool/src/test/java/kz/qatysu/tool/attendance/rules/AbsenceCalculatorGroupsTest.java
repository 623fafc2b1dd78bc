package kz.qatysu.tool.attendance.rules;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static kz.qatysu.tool.attendance.rules.Term.AFTER_TERM;
import static kz.qatysu.tool.attendance.rules.Term.id;
import static kz.qatysu.tool.attendance.rules.Term.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Group sessions in the absence arithmetic: {@code plannedHours} = the hours of the sessions that apply to the
 * student — the section's sessions without a group plus those of the student's academic group.
 */
class AbsenceCalculatorGroupsTest {
    static final String IS1 = "ИС-24-1";
    static final String IS2 = "ИС-24-2";

    /**
     * A stream of 10 one-hour lectures for the whole section (S-1…S-10), then 6 two-hour seminars of ИС-24-1
     * (S-11…S-16) and 4 two-hour seminars of ИС-24-2 (S-17…S-20).
     */
    static List<PlannedSession> stream() {
        List<PlannedSession> sessions = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            sessions.add(PlannedSession.of(id(i), start(i)));
        }
        for (int i = 11; i <= 16; i++) {
            sessions.add(PlannedSession.of(id(i), start(i), 2).forGroup(IS1));
        }
        for (int i = 17; i <= 20; i++) {
            sessions.add(PlannedSession.of(id(i), start(i), 2).forGroup(IS2));
        }
        return sessions;
    }

    static Standing of(String group, Map<String, Mark> marks) {
        return AbsenceCalculator.standing(stream(), group, marks, null, AFTER_TERM, AbsencePolicy.defaults(), Optional.empty());
    }

    static Map<String, Mark> absentFrom(int... sessions) {
        Map<String, Mark> marks = new java.util.HashMap<>();
        for (int i : sessions) {
            marks.put(id(i), Mark.absent(id(i)));
        }
        return marks;
    }

    @ParameterizedTest(name = "a student of {0}: {1} planned hours")
    @CsvSource(nullValues = "null", value = {
            "ИС-24-1, 22",  // 10 lectures + 6 × 2 of their own seminars
            "ИС-24-2, 18",  // 10 lectures + 4 × 2 of their own seminars
            "ВТ-24-1, 10",  // a group with no seminar of its own: the lectures only
            "null,    10",  // group unknown: the lectures only
    })
    void planned_hours_are_the_sections_sessions_plus_those_of_the_students_own_group(String group, int planned) {
        assertThat(of(group, Map.of()).plannedHours()).isEqualTo(planned);
    }

    @Test
    void an_absence_from_an_own_group_session_counts_with_its_hours() {
        Standing s = of(IS1, absentFrom(11, 12, 13));
        assertThat(s.absentHours()).isEqualTo(6);
        assertThat(s.plannedHours()).isEqualTo(22);
        assertThat(s.absenceShare()).isEqualByComparingTo("0.2727");
        assertThat(s.computedState()).isEqualTo(StandingState.WARNING);
    }

    @Test
    void a_mark_on_another_groups_session_counts_neither_way() {
        // e.g. marked before the session was moved to the other group: kept, never counted
        Standing s = of(IS2, absentFrom(11, 12, 13));
        assertThat(s.absentHours()).isZero();
        assertThat(s.plannedHours()).isEqualTo(18);
        assertThat(s.computedState()).isEqualTo(StandingState.OK);
    }

    @Test
    void a_student_without_a_group_is_judged_on_the_sessions_of_the_whole_section_only() {
        Standing s = of(null, absentFrom(1, 2, 3, 4, 17));
        assertThat(s.absentHours()).isEqualTo(4);
        assertThat(s.plannedHours()).isEqualTo(10);
        assertThat(s.computedState()).isEqualTo(StandingState.LOCKED);
    }

    @Test
    void the_same_absences_weigh_differently_by_group_because_the_denominators_differ() {
        Map<String, Mark> marks = absentFrom(1, 2, 3, 4, 5, 6);
        assertThat(of(IS1, marks).computedState()).isEqualTo(StandingState.WARNING); // 6 / 22
        assertThat(of(IS2, marks).computedState()).isEqualTo(StandingState.LOCKED);  // 6 / 18
    }

    @Test
    void the_absence_budget_counts_only_the_sessions_of_the_students_group() {
        // 30 % of 22 planned = 6.6 → 6 hours may be missed; of 18 → 5
        assertThat(of(IS1, Map.of()).absenceBudget()).isEqualTo(6);
        assertThat(of(IS2, Map.of()).absenceBudget()).isEqualTo(5);
    }

    @Test
    void a_cancelled_group_session_leaves_its_groups_denominator() {
        List<PlannedSession> sessions = new ArrayList<>(stream());
        sessions.set(10, sessions.get(10).asCancelled());
        Standing s = AbsenceCalculator.standing(sessions, IS1, Map.of(), null, AFTER_TERM, AbsencePolicy.defaults(),
                Optional.empty());
        assertThat(s.plannedHours()).isEqualTo(20);
        assertThat(sessions.get(10).group()).as("cancelling keeps the group").isEqualTo(IS1);
    }

    @Test
    void held_so_far_counts_only_the_groups_sessions_that_have_started() {
        AbsencePolicy held = AbsencePolicy.defaults().withOverrides(b -> b.denominator(AbsencePolicy.Denominator.HELD_SO_FAR));
        Instant afterDay12 = start(12).plusHours(1).toInstant();
        Standing is1 = AbsenceCalculator.standing(stream(), IS1, Map.of(), null, afterDay12, held, Optional.empty());
        Standing is2 = AbsenceCalculator.standing(stream(), IS2, Map.of(), null, afterDay12, held, Optional.empty());
        assertThat(is1.plannedHours()).isEqualTo(10 + 2 * 2);
        assertThat(is2.plannedHours()).isEqualTo(10);
    }

    @Test
    void a_late_joiner_of_a_group_counts_from_the_day_they_joined() {
        Standing s = AbsenceCalculator.standing(stream(), IS1, Map.of(), start(13).toLocalDate(), AFTER_TERM,
                AbsencePolicy.defaults(), Optional.empty());
        assertThat(s.plannedHours()).isEqualTo(4 * 2);
    }

    @Test
    void without_any_group_session_the_group_changes_nothing() {
        List<PlannedSession> lectures = Term.sessions(12);
        Map<String, Mark> marks = Term.absent(1, 3);
        Standing plain = AbsenceCalculator.standing(lectures, marks, null, AFTER_TERM, AbsencePolicy.defaults(), Optional.empty());
        assertThat(AbsenceCalculator.standing(lectures, IS1, marks, null, AFTER_TERM, AbsencePolicy.defaults(), Optional.empty()))
                .isEqualTo(plain);
        assertThat(AbsenceCalculator.standing(lectures, null, marks, null, AFTER_TERM, AbsencePolicy.defaults(), Optional.empty()))
                .isEqualTo(plain);
    }

    @ParameterizedTest(name = "session for {0}, student of {1} → applies: {2}")
    @CsvSource(nullValues = "null", value = {
            "null,    null,    true",
            "null,    ИС-24-1, true",
            "ИС-24-1, ИС-24-1, true",
            "ИС-24-1, ИС-24-2, false",
            "ИС-24-1, null,    false",
    })
    void a_session_applies_to_everyone_without_a_group_and_to_its_own_group_only_with_one(
            String sessionGroup, String studentGroup, boolean applies) {
        PlannedSession s = new PlannedSession("S-1", start(1), 1, false, sessionGroup);
        assertThat(s.appliesTo(studentGroup)).isEqualTo(applies);
    }

    @Test
    void a_blank_group_is_refused_so_null_is_the_one_way_to_say_the_whole_section() {
        assertThatThrownBy(() -> new PlannedSession("S-1", start(1), 1, false, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
    }
}
