package kz.qatysu.tool.admission;

import kz.qatysu.tool.excuses.DeansFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission reads only the standing's state: a mark that moves hours but not the state leaves the decision and its
 * history as they were; the mark that moves the state moves the decision in the same save.
 */
class AdmissionOnStandingStateTest {
    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String decision(String person) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery("""
                        SELECT admitted || ' ' || attendance_state || ' ' || array_to_string(reasons, ',')
                        FROM admission WHERE section_id = :s AND person_id = :p""")
                .bind("s", SECTION).bind("p", person).mapTo(String.class).one());
    }

    static int historyRows(String person) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM admission_history WHERE section_id = :s AND person_id = :p")
                .bind("s", SECTION).bind("p", person).mapTo(Integer.class).one());
    }

    static String standingState(String person) {
        return f.tool.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT state FROM standing WHERE section_id = :s AND person_id = :p")
                .bind("s", SECTION).bind("p", person).mapTo(String.class).one());
    }

    @Test
    void a_mark_that_moves_hours_but_not_the_state_leaves_the_decision_and_its_history_alone() {
        f.absent("P-1002", "S-1", "S-2");
        assertThat(standingState("P-1002")).as("2 of 10 hours").isEqualTo("WARNING");
        assertThat(decision("P-1002")).contains("WARNING");
        String before = decision("P-1002");
        int rows = historyRows("P-1002");

        f.absent("P-1002", "S-3");
        assertThat(standingState("P-1002")).as("3 of 10 hours, not over 30 %").isEqualTo("WARNING");
        assertThat(decision("P-1002")).isEqualTo(before);
        assertThat(historyRows("P-1002")).isEqualTo(rows);

        f.absent("P-1002", "S-4");
        assertThat(standingState("P-1002")).as("4 of 10 hours").isEqualTo("LOCKED");
        assertThat(decision("P-1002")).contains("LOCKED").contains("ATTENDANCE_LOCKED");
        assertThat(historyRows("P-1002")).isEqualTo(rows + 1);
    }
}
