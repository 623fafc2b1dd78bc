package kz.qatysu.tool.lti.advantage;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceUrlsTest {

    @Test
    void a_path_segment_goes_before_moodles_type_id_query() {
        assertThat(ServiceUrls.appendPath(URI.create("https://moodle.kz/mod/lti/services.php/2/lineitems/2/lineitem?type_id=1"), "/scores"))
                .isEqualTo(URI.create("https://moodle.kz/mod/lti/services.php/2/lineitems/2/lineitem/scores?type_id=1"));
    }

    @Test
    void a_path_segment_is_appended_once_to_a_url_with_a_trailing_slash_and_no_query() {
        assertThat(ServiceUrls.appendPath(URI.create("https://lms.kz/api/lti_consumer/v1/lti/3/lti-ags/7/"), "/results"))
                .isEqualTo(URI.create("https://lms.kz/api/lti_consumer/v1/lti/3/lti-ags/7/results"));
    }

    @Test
    void an_encoded_path_and_query_stay_encoded() {
        assertThat(ServiceUrls.appendPath(URI.create("https://lms.kz/ags/course-v1%3AKBTU%2BCS101/item?x=a%20b"), "/scores"))
                .hasToString("https://lms.kz/ags/course-v1%3AKBTU%2BCS101/item/scores?x=a%20b");
    }

    @Test
    void a_query_parameter_is_added_with_the_right_separator_and_encoded() {
        assertThat(ServiceUrls.withParam(URI.create("https://m.kz/lineitems?type_id=1"), "tag", "a b&c"))
                .hasToString("https://m.kz/lineitems?type_id=1&tag=a+b%26c");
        assertThat(ServiceUrls.withParam(URI.create("https://m.kz/memberships"), "limit", "50"))
                .hasToString("https://m.kz/memberships?limit=50");
        assertThat(ServiceUrls.withParam(URI.create("https://m.kz/memberships"), "role", null))
                .hasToString("https://m.kz/memberships");
    }

    @Test
    void the_next_link_is_picked_among_several_links_and_relation_types() {
        HttpHeaders headers = HttpHeaders.of(Map.of("Link", List.of(
                "<https://m.kz/m?from=0>; rel=\"first\", <https://m.kz/m?limit=1&from=1>; rel=\"next last\"")), (a, b) -> true);

        assertThat(ServiceUrls.next(headers, URI.create("https://m.kz/m")))
                .contains(URI.create("https://m.kz/m?limit=1&from=1"));
    }

    @Test
    void no_next_link_means_the_last_page() {
        HttpHeaders headers = HttpHeaders.of(Map.of("Link", List.of("<https://m.kz/m?from=0>; rel=first")), (a, b) -> true);

        assertThat(ServiceUrls.next(headers, URI.create("https://m.kz/m"))).isEmpty();
        assertThat(ServiceUrls.next(HttpHeaders.of(Map.of(), (a, b) -> true), URI.create("https://m.kz/m"))).isEmpty();
    }
}
