package kz.qatysu.tool.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InputTextTest {
    @Test
    void text_refuses_nul_and_lone_surrogates_and_keeps_everything_else() {
        assertThat(InputText.problem("Алгебра 😀 \u202Eعربي\t\n")).isNull();
        assertThat(InputText.problem("a\u0000")).contains("NUL", "position 1");
        assertThat(InputText.problem("\uD800x")).contains("lone surrogate U+D800");
        assertThat(InputText.problem("x\uDC00")).contains("lone surrogate U+DC00");
        assertThat(InputText.problem("\uD83D")).contains("lone surrogate");
    }

    @Test
    void ids_also_refuse_control_and_bidirectional_characters() {
        assertThat(InputText.idProblem("P-1001")).isNull();
        assertThat(InputText.idProblem("Әлия-1")).isNull();
        for (String bad : new String[]{"P\u0007", "P\u0085", "P\u202E1", "P\u2066", "P\u200F", "P\u061C", "P\t"}) {
            assertThat(InputText.idProblem(bad)).as(bad).contains("control characters");
        }
    }

    @Test
    void every_bad_value_of_a_json_body_is_named_by_its_path() throws Exception {
        var body = new ObjectMapper().readTree("""
                [{"personId": "P-1", "reason": "ok"}, {"personId": "P-2\\u0000", "tags": ["x", "\\uD800"], "n": {"k": "\\u0000"}}]""");
        assertThat(InputText.problems(body)).extracting(ApiException.Detail::path)
                .containsExactly("[1].personId", "[1].tags[1]", "[1].n.k");
    }
}
