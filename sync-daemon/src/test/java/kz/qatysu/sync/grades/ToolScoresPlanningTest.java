package kz.qatysu.sync.grades;

import kz.qatysu.connectors.portal.GradeEntry;
import kz.qatysu.connectors.portal.GradeEntry.Item;
import kz.qatysu.sync.engine.Desired;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolScoresPlanningTest {
    static final Map<Item, String> COMPONENTS = Map.of(Item.RK1, "RK1", Item.MIDTERM, "MT", Item.RK2, "RK2");

    static GradeEntry portal(String person, Item item, String score, String max) {
        return new GradeEntry("CS101", person, item, new BigDecimal(score), new BigDecimal(max));
    }

    static GradesJob.LmsGrade lms(String person, Item item, String score, String max) {
        return new GradesJob.LmsGrade("CS101", person, item, new BigDecimal(score), new BigDecimal(max));
    }

    @Test
    void each_component_takes_its_score_from_where_its_items_direction_says_the_grade_lives() {
        var directions = Map.of(Item.RK1, GradeDirection.PORTAL_TO_LMS, Item.MIDTERM, GradeDirection.LMS_TO_PORTAL,
                Item.RK2, GradeDirection.NONE, Item.EXAM, GradeDirection.PORTAL_TO_LMS);

        List<Desired> plan = GradesJob.toolScores(COMPONENTS, directions,
                List.of(portal("P-1", Item.RK1, "87.50", "100"), portal("P-1", Item.MIDTERM, "60", "100"),
                        portal("P-1", Item.RK2, "70", "100"), portal("P-1", Item.EXAM, "90", "100")),
                List.of(lms("P-1", Item.MIDTERM, "36.75", "50"), lms("P-1", Item.RK1, "99", "100"), lms("P-2", Item.RK2, "80", "100")));

        assertThat(plan).extracting(Desired::key).containsExactly("CS101/P-1/RK1", "CS101/P-1/MT");
        assertThat(plan.get(0).fields()).containsExactlyInAnyOrderEntriesOf(Map.of("section", "CS101", "person", "P-1",
                "component", "RK1", "points", "87.5", "max", "100"));
        assertThat(plan.get(1).fields()).containsEntry("points", "36.75").containsEntry("max", "50").containsEntry("component", "MT");
    }

    @Test
    void a_score_written_as_85_or_85_point_00_is_one_and_the_same_state() {
        var directions = Map.of(Item.RK1, GradeDirection.PORTAL_TO_LMS, Item.RK2, GradeDirection.LMS_TO_PORTAL);

        Desired a = GradesJob.toolScores(COMPONENTS, directions, List.of(portal("P-1", Item.RK1, "85", "100")), List.of()).getFirst();
        Desired b = GradesJob.toolScores(COMPONENTS, directions, List.of(portal("P-1", Item.RK1, "85.00", "100.0")), List.of()).getFirst();
        Desired c = GradesJob.toolScores(COMPONENTS, directions, List.of(), List.of(lms("P-1", Item.RK2, "85.0", "1E+2"))).getFirst();

        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(c.fields()).containsEntry("points", "85").containsEntry("max", "100");
        assertThat(GradesJob.plain(new BigDecimal("1.2300"))).isEqualTo("1.23");
        assertThat(GradesJob.plain(new BigDecimal("0.000"))).isEqualTo("0");
    }

    @Test
    void an_item_without_a_component_sends_nothing_and_one_component_keeps_one_score_per_student() {
        var directions = Map.of(Item.RK1, GradeDirection.PORTAL_TO_LMS, Item.EXAM, GradeDirection.PORTAL_TO_LMS,
                Item.FINAL, GradeDirection.LMS_TO_PORTAL);

        List<Desired> plan = GradesJob.toolScores(Map.of(Item.RK1, "RK1", Item.FINAL, "FINAL"), directions,
                List.of(portal("P-1", Item.EXAM, "90", "100"), portal("P-1", Item.RK1, "50", "100"), portal("P-1", Item.RK1, "60", "100")),
                List.of(lms("P-1", Item.FINAL, "91.4", "100"), lms("P-1", Item.FINAL, "10", "100")));

        assertThat(plan).extracting(Desired::key).containsExactly("CS101/P-1/RK1", "CS101/P-1/FINAL");
        assertThat(plan).extracting(d -> d.get("points")).containsExactly("50", "91.4");
    }
}
