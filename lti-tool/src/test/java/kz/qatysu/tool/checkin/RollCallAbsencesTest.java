package kz.qatysu.tool.checkin;

import kz.qatysu.tool.attendance.rules.Mark;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Roll-call non-responders as proposed absences: who is proposed, and how the proposal meets the stored mark. */
class RollCallAbsencesTest {
    static final List<String> STUDENTS = List.of("P-1", "P-2", "P-3", "P-4", "P-5");

    @Test
    void nothing_is_proposed_before_a_roll_call_has_finished() {
        assertThat(RollCallAbsences.propose(STUDENTS, List.of(), Map.of())).isEmpty();
    }

    @Test
    void the_students_who_did_not_answer_are_proposed_in_roster_order() {
        var proposed = RollCallAbsences.propose(STUDENTS, List.of(Set.of("P-2", "P-4")), Map.of());
        assertThat(proposed).extracting(RollCallAbsences.Proposed::personId).containsExactly("P-1", "P-3", "P-5");
        assertThat(proposed).allSatisfy(p -> {
            assertThat(p.agreement()).isEqualTo(RollCallAbsences.Agreement.UNMARKED);
            assertThat(p.tickedByDefault()).isTrue();
            assertThat(p.shown()).isEmpty();
        });
    }

    @Test
    void a_student_who_answered_any_finished_roll_call_was_there_and_is_not_proposed() {
        var proposed = RollCallAbsences.propose(STUDENTS, List.of(Set.of("P-1", "P-2"), Set.of("P-2", "P-3")), Map.of());
        assertThat(proposed).extracting(RollCallAbsences.Proposed::personId).containsExactly("P-4", "P-5");
        assertThat(proposed.getFirst().finished()).isEqualTo(2);
    }

    @Test
    void a_mark_set_otherwise_is_shown_as_different_and_not_ticked_and_an_absence_already_there_as_the_same() {
        var proposed = RollCallAbsences.propose(STUDENTS, List.of(Set.of()), Map.of(
                "P-1", Mark.late("S-1", 12), "P-2", Mark.absent("S-1"), "P-3", Mark.excused("S-1", "справка"),
                "P-4", Mark.present("S-1")));
        assertThat(proposed).extracting(p -> p.personId() + ":" + p.agreement() + ":" + p.tickedByDefault() + ":" + p.shown())
                .containsExactly("P-1:DIFFERENT:false:LATE:12", "P-2:SAME:false:ABSENT", "P-3:DIFFERENT:false:EXCUSED",
                        "P-4:DIFFERENT:false:PRESENT", "P-5:UNMARKED:true:");
    }

    @Test
    void answers_of_people_off_the_list_change_nothing() {
        // a student of another group or a withdrawn one who answered is not in the list the session is for
        var proposed = RollCallAbsences.propose(List.of("P-1"), List.of(Set.of("P-9")), Map.of());
        assertThat(proposed).extracting(RollCallAbsences.Proposed::personId).containsExactly("P-1");
    }
}
