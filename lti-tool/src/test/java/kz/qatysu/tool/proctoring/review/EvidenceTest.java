package kz.qatysu.tool.proctoring.review;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EvidenceTest {
    @Test
    void a_single_byte_range_is_served_within_the_objects_size() {
        assertThat(Evidence.range("bytes=0-99", 1000)).contains(new Evidence.Range(0, 99));
        assertThat(Evidence.range("bytes=900-", 1000)).contains(new Evidence.Range(900, 999));
        assertThat(Evidence.range("bytes=990-5000", 1000)).contains(new Evidence.Range(990, 999));
        assertThat(Evidence.range("bytes=-10", 1000)).contains(new Evidence.Range(990, 999));
        assertThat(Evidence.range("bytes=-5000", 1000)).contains(new Evidence.Range(0, 999));
    }

    @Test
    void no_header_several_ranges_or_another_unit_send_the_whole_object() {
        assertThat(Evidence.range(null, 1000)).isEmpty();
        assertThat(Evidence.range("bytes=0-1,5-9", 1000)).isEmpty();
        assertThat(Evidence.range("items=0-1", 1000)).isEmpty();
        assertThat(Evidence.range("bytes=-", 1000)).isEmpty();
    }

    @Test
    void a_range_past_the_end_or_backwards_cannot_be_satisfied() {
        assertThat(Evidence.range("bytes=1000-", 1000)).isNull();
        assertThat(Evidence.range("bytes=50-10", 1000)).isNull();
        assertThat(Evidence.range("bytes=-0", 1000)).isNull();
        assertThat(Evidence.range("bytes=99999999999999999999-", 1000)).isNull();
    }
}
