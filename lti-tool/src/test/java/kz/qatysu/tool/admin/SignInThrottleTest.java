package kz.qatysu.tool.admin;

import kz.qatysu.tool.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SignInThrottleTest {
    private final MovableClock clock = new MovableClock();
    private final SignInThrottle throttle = new SignInThrottle(clock);

    @Test
    void each_wrong_token_after_the_free_ones_waits_twice_as_long_up_to_the_cap() {
        assertThat(SignInThrottle.delay(1)).isEqualTo(SignInThrottle.BASE_DELAY);
        assertThat(SignInThrottle.delay(SignInThrottle.FREE_FAILURES)).isEqualTo(SignInThrottle.BASE_DELAY);
        assertThat(SignInThrottle.delay(SignInThrottle.FREE_FAILURES + 1)).isEqualTo(SignInThrottle.BASE_DELAY.multipliedBy(2));
        assertThat(SignInThrottle.delay(SignInThrottle.FREE_FAILURES + 2)).isEqualTo(SignInThrottle.BASE_DELAY.multipliedBy(4));
        assertThat(SignInThrottle.delay(1000)).isEqualTo(SignInThrottle.MAX_DELAY);
    }

    @Test
    void a_backed_off_address_gets_no_more_parallel_attempts_than_the_limit_and_the_right_token_clears_it() {
        for (int i = 0; i < SignInThrottle.FREE_FAILURES; i++) {
            try (var a = throttle.begin("192.0.2.1")) {
                assertThat(a.failed().backedOff()).isFalse();
            }
        }
        var first = throttle.begin("192.0.2.1");
        var second = throttle.begin("192.0.2.1");
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(throttle.begin("192.0.2.1")).as("a third one in parallel").isNull();
        assertThat(throttle.begin("192.0.2.2")).as("another address").isNotNull();

        first.succeeded();
        first.close();
        second.close();
        try (var a = throttle.begin("192.0.2.1")) {
            assertThat(a.failed().count()).isEqualTo(1);
        }
    }

    @Test
    void the_count_lapses_a_while_after_the_last_wrong_token() {
        for (int i = 0; i <= SignInThrottle.FREE_FAILURES; i++) {
            try (var a = throttle.begin("192.0.2.3")) {
                a.failed();
            }
        }
        clock.advance(SignInThrottle.FORGET_AFTER.plus(Duration.ofSeconds(1)));
        try (var a = throttle.begin("192.0.2.3")) {
            assertThat(a.failed().count()).isEqualTo(1);
        }
    }
}
