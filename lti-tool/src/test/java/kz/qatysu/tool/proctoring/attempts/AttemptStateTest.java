package kz.qatysu.tool.proctoring.attempts;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static kz.qatysu.tool.proctoring.attempts.AttemptState.*;
import static org.assertj.core.api.Assertions.assertThat;

class AttemptStateTest {

    @Test
    void every_transition_is_allowed_exactly_as_the_attempt_path_says() {
        Map<AttemptState, Set<AttemptState>> allowed = Map.of(
                CONSENT_PENDING, EnumSet.of(CHECKING, REFUSED),
                REFUSED, EnumSet.of(CHECKING),
                CHECKING, EnumSet.of(IN_PROGRESS, ABANDONED),
                IN_PROGRESS, EnumSet.of(ENDED, ABANDONED),
                ABANDONED, EnumSet.of(IN_PROGRESS),
                ENDED, EnumSet.noneOf(AttemptState.class));
        for (AttemptState from : values()) {
            for (AttemptState to : values()) {
                assertThat(from.mayBecome(to)).as(from + " → " + to).isEqualTo(allowed.get(from).contains(to));
            }
        }
    }

    @Test
    void only_an_ended_or_refused_attempt_is_finished() {
        assertThat(EnumSet.allOf(AttemptState.class).stream().filter(AttemptState::finished)).containsExactlyInAnyOrder(ENDED, REFUSED);
    }
}
