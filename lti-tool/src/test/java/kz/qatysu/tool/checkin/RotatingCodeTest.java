package kz.qatysu.tool.checkin;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RotatingCodeTest {
    private final RotatingCode code = new RotatingCode("12345678901234567890".getBytes(), 30);

    @Test
    void codes_have_six_digits_and_hold_for_the_current_and_previous_step_only() {
        Instant t = Instant.ofEpochSecond(1_800_000_000L);
        String c = code.codeAt(t);
        assertThat(c).matches("\\d{6}");
        assertThat(code.accepts(c, t.plusSeconds(29))).isTrue();
        assertThat(code.accepts(c, t.plusSeconds(30))).isTrue();
        assertThat(code.accepts(c, t.plusSeconds(60))).isFalse();
        assertThat(code.accepts(c, t.minusSeconds(30))).isFalse();
        assertThat(code.accepts(" " + c.substring(0, 3) + " " + c.substring(3), t)).isTrue();
    }

    @Test
    void ip_ranges_match_ipv4_and_ipv6_blocks_and_name_a_bad_entry() {
        IpRanges r = IpRanges.parse("10.20.0.0/16, 2001:db8::/32\n127.0.0.1");
        assertThat(r.allows("10.20.3.4")).isTrue();
        assertThat(r.allows("10.21.3.4")).isFalse();
        assertThat(r.allows("2001:db8:1::5")).isTrue();
        assertThat(r.allows("127.0.0.1")).isTrue();
        assertThat(r.allows("not-an-ip")).isFalse();
        assertThat(IpRanges.none().allows("8.8.8.8")).isTrue();
        assertThatThrownBy(() -> IpRanges.parse("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> IpRanges.parse("example.com")).hasMessageContaining("example.com");
    }
}
