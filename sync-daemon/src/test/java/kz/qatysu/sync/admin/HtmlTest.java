package kz.qatysu.sync.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {
    @Test
    void markup_characters_become_entities_and_null_is_empty() {
        assertThat(Html.esc("<script>alert('x')</script> & \"q\"")).isEqualTo(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.esc(null)).isEmpty();
        assertThat(Html.esc("Қасымұлы Әлихан")).isEqualTo("Қасымұлы Әлихан");
        assertThat(Html.esc(42)).isEqualTo("42");
    }

    @Test
    void a_url_segment_is_percent_encoded_so_it_cannot_leave_its_attribute() {
        assertThat(Html.url("a b/\"<c>")).isEqualTo("a%20b%2F%22%3Cc%3E");
    }
}
