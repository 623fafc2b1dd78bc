package kz.qatysu.tool.proctoring.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {
    static final long SIZE = 1000;

    @Test
    void a_range_with_both_ends_is_clamped_to_the_object() {
        assertThat(ByteRange.requested("bytes=0-99", SIZE)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.requested("bytes=900-5000", SIZE)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.requested("bytes=999-999", SIZE)).contains(new ByteRange(999, 999));
        assertThat(ByteRange.requested("bytes=5-99999999999999999999999", SIZE)).contains(new ByteRange(5, 999));
        assertThat(new ByteRange(900, 999).contentRange(SIZE)).isEqualTo("bytes 900-999/1000");
        assertThat(new ByteRange(900, 999).length()).isEqualTo(100);
    }

    @Test
    void an_open_range_runs_to_the_end_and_a_suffix_is_the_last_bytes() {
        assertThat(ByteRange.requested("bytes=0-", SIZE)).contains(new ByteRange(0, 999));
        assertThat(ByteRange.requested("bytes=400-", SIZE)).contains(new ByteRange(400, 999));
        assertThat(ByteRange.requested("bytes=-100", SIZE)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.requested("bytes=-5000", SIZE)).contains(new ByteRange(0, 999));
    }

    @Test
    void no_header_another_unit_several_ranges_or_a_malformed_one_mean_the_whole_object() {
        assertThat(ByteRange.requested(null, SIZE)).isEmpty();
        assertThat(ByteRange.requested("items=0-5", SIZE)).isEmpty();
        assertThat(ByteRange.requested("bytes=0-5,10-20", SIZE)).isEmpty();
        assertThat(ByteRange.requested("bytes=20-10", SIZE)).isEmpty();
        assertThat(ByteRange.requested("bytes=-", SIZE)).isEmpty();
        assertThat(ByteRange.requested("bytes=a-b", SIZE)).isEmpty();
    }

    @Test
    void a_range_starting_at_or_past_the_end_or_an_empty_suffix_is_unsatisfiable() {
        for (String h : new String[]{"bytes=1000-", "bytes=1000-1001", "bytes=-0", "bytes=99999999999999999-"}) {
            assertThatThrownBy(() -> ByteRange.requested(h, SIZE)).as(h).isInstanceOfSatisfying(MediaRefused.class, e -> {
                assertThat(e.status()).isEqualTo(416);
                assertThat(e.field()).isEqualTo("range");
            });
        }
    }
}
