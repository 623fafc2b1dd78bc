package kz.qatysu.tool.proctoring.attempts;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptTrustTest {

    @Test
    void an_attempt_without_flags_keeps_full_trust() {
        AttemptTrust t = AttemptTrust.of(Map.of(EventType.CONSENT_GIVEN, 1, EventType.ATTEMPT_STARTED, 1));
        assertThat(t.score()).isEqualTo(100);
        assertThat(t.flags()).isEmpty();
    }

    @Test
    void each_event_type_takes_its_weight_per_occurrence_and_says_so() {
        AttemptTrust t = AttemptTrust.of(Map.of(EventType.MULTIPLE_FACES, 2, EventType.TAB_HIDDEN, 3, EventType.NO_FACE, 0));
        assertThat(t.score()).isEqualTo(100 - 2 * 10 - 3 * 3);
        assertThat(t.contributions()).containsExactly(
                new AttemptTrust.Contribution(EventType.MULTIPLE_FACES, 2, 20),
                new AttemptTrust.Contribution(EventType.TAB_HIDDEN, 3, 9));
        assertThat(t.flags()).containsExactly(Map.entry("MULTIPLE_FACES", 2), Map.entry("TAB_HIDDEN", 3));
    }

    @Test
    void the_score_never_goes_below_zero_even_for_huge_counts() {
        assertThat(AttemptTrust.of(Map.of(EventType.FACE_MISMATCH, Integer.MAX_VALUE, EventType.SECOND_SCREEN, 5)).score()).isZero();
    }

    @Test
    void a_negative_count_is_a_programming_error() {
        assertThatThrownBy(() -> AttemptTrust.of(Map.of(EventType.NOISE, -1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void face_events_keep_the_severity_and_weight_of_the_face_analysis() {
        for (var f : kz.qatysu.tool.proctoring.analysis.FaceEvent.values()) {
            EventType t = EventType.of(f);
            assertThat(t.weight()).isEqualTo(f.weight());
            assertThat(t.severity().name()).isEqualTo(f.severity().name());
            assertThat(t.source()).isEqualTo(EventType.Source.FACE_ANALYSIS);
        }
    }

    @Test
    void a_browser_can_report_only_browser_events() {
        assertThat(EventType.fromBrowser("TAB_HIDDEN")).contains(EventType.TAB_HIDDEN);
        assertThat(EventType.fromBrowser("ID_VERIFIED")).isEmpty();
        assertThat(EventType.fromBrowser("MULTIPLE_FACES")).isEmpty();
        assertThat(EventType.fromBrowser("HEARTBEAT_GAP")).isEmpty();
        assertThat(EventType.fromBrowser("tab_hidden")).isEmpty();
    }
}
