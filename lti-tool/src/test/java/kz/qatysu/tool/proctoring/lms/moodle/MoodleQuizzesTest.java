package kz.qatysu.tool.proctoring.lms.moodle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.tool.moodle.MoodleException;
import kz.qatysu.tool.moodle.MoodleSite;
import kz.qatysu.tool.moodle.MoodleWebService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qatysu.tool.proctoring.lms.moodle.QuizCaptures.capturedForm;
import static kz.qatysu.tool.proctoring.lms.moodle.QuizCaptures.forms;
import static kz.qatysu.tool.proctoring.lms.moodle.QuizCaptures.stub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The quiz-override client against Moodle 4.5's captured requests and answers, byte for byte. */
class MoodleQuizzesTest {
    static final String TOKEN = "ws-token-0123456789abcdef";
    static final String NOCAP = "ws-token-of-wsnocap-987654";

    WireMockServer moodle;
    MoodleQuizzes quizzes;
    MoodleSite site;
    MoodleSite nocap;

    @BeforeEach
    void start() {
        moodle = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        moodle.start();
        quizzes = new MoodleQuizzes(new MoodleWebService(HttpClient.newHttpClient(), Duration.ofSeconds(5), new ObjectMapper()));
        site = new MoodleSite("https://moodle.university.kz", URI.create(moodle.baseUrl()), new Secret(TOKEN));
        nocap = new MoodleSite("https://moodle.university.kz", URI.create(moodle.baseUrl()), new Secret(NOCAP));
    }

    @AfterEach
    void stop() {
        moodle.stop();
    }

    @Test
    void the_course_quizzes_are_listed_by_instance_id_with_whether_each_has_a_password() throws Exception {
        stub(moodle, "ws_quiz_overrides_00_get_quizzes_by_courses", TOKEN);
        List<MoodleQuizzes.Quiz> list = quizzes.quizzes(site, 127);
        assertThat(list).extracting(MoodleQuizzes.Quiz::id, MoodleQuizzes.Quiz::courseModule, MoodleQuizzes.Quiz::name)
                .startsWith(org.assertj.core.groups.Tuple.tuple(4L, 134L, "Final exam"));
        assertThat(list.get(0).password()).isEqualTo(MoodleQuizzes.PasswordState.SET);
        assertThat(forms(moodle)).containsExactly(capturedForm("ws_quiz_overrides_00_get_quizzes_by_courses", TOKEN));
    }

    @Test
    void a_quiz_without_the_password_field_is_unknown_and_an_empty_password_is_none() throws Exception {
        moodle.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(QuizCaptures.PATH))
                .willReturn(QuizCaptures.moodleResponse("""
                        {"quizzes":[{"id":4,"coursemodule":134,"course":127,"name":"Final exam"},
                                    {"id":5,"coursemodule":135,"course":127,"name":"Midterm (MT)","password":""}],"warnings":[]}""")));
        assertThat(quizzes.quizzes(site, 127)).extracting(MoodleQuizzes.Quiz::password)
                .containsExactly(MoodleQuizzes.PasswordState.UNKNOWN, MoodleQuizzes.PasswordState.NONE);
    }

    @Test
    void a_new_override_is_saved_exactly_as_moodle_was_sent_it_and_answers_its_id() throws Exception {
        stub(moodle, "ws_quiz_overrides_01_save_ok", TOKEN);
        long id = quizzes.save(site, 4, new MoodleQuizzes.UserOverride(Optional.empty(), 6, "S1-Override#7",
                1796158800L, 1796421600L, Optional.of(2L)));
        assertThat(id).isEqualTo(1);
        assertThat(forms(moodle)).containsExactly(capturedForm("ws_quiz_overrides_01_save_ok", TOKEN));
    }

    @Test
    void an_update_resends_every_field_as_the_full_update_capture_does() throws Exception {
        stub(moodle, "ws_quiz_overrides_05_save_update_full", TOKEN);
        quizzes.save(site, 4, new MoodleQuizzes.UserOverride(Optional.of(1L), 6, "S1-Override#7",
                1796158800L, 1796421600L, Optional.of(2L)));
        assertThat(forms(moodle)).containsExactly(capturedForm("ws_quiz_overrides_05_save_update_full", TOKEN));
    }

    @Test
    void the_overrides_are_read_with_unset_fields_as_null_and_the_password_in_clear() throws Exception {
        stub(moodle, "ws_quiz_overrides_07_get_two", TOKEN);
        List<MoodleQuizzes.Override> list = quizzes.overrides(site, 4);
        assertThat(list).hasSize(2);
        assertThat(list.get(0).password()).isEqualTo("S1-Override#7");
        assertThat(list.get(0).toString()).doesNotContain("S1-Override#7");
        assertThat(list.get(1).timeOpen()).isNull();
        assertThat(list.get(1).timeLimit()).isEqualTo(1800L);
        assertThat(quizzes.overrideOf(site, 4, 7)).get().extracting(MoodleQuizzes.Override::id).isEqualTo(2L);
        assertThat(forms(moodle).get(0)).isEqualTo(capturedForm("ws_quiz_overrides_07_get_two", TOKEN));
    }

    @Test
    void moodles_http_200_exception_bodies_become_errors_with_the_reason_from_debuginfo() {
        stub(moodle, "ws_quiz_overrides_10_error_unknown_user", TOKEN);
        assertThatThrownBy(() -> quizzes.save(site, 4, new MoodleQuizzes.UserOverride(Optional.empty(), 999999, "x",
                0, 1, Optional.of(2L))))
                .isInstanceOfSatisfying(MoodleException.class, e -> {
                    assertThat(e.invalidParameter()).isTrue();
                    assertThat(e.debuginfo()).contains("User given doesn't exist.");
                    assertThat(e.getMessage()).contains("invalidparameter", "User given doesn't exist.").doesNotContain(TOKEN);
                });
    }

    @Test
    void an_unknown_quiz_is_a_missing_record() {
        stub(moodle, "ws_quiz_overrides_22_get_error_unknown_quiz", TOKEN);
        assertThatThrownBy(() -> quizzes.overrides(site, 999999))
                .isInstanceOfSatisfying(MoodleException.class, e -> assertThat(e.missingRecord()).isTrue());
    }

    @Test
    void the_second_override_of_a_two_at_once_call_failing_leaves_the_first_saved_so_the_client_saves_one_per_call() throws Exception {
        // capture 08: two in one call, the second invalid → an error although the first was saved (09)
        stub(moodle, "ws_quiz_overrides_08_save_two_at_once_partial_failure", TOKEN);
        stub(moodle, "ws_quiz_overrides_01_save_ok", TOKEN);
        quizzes.save(site, 4, new MoodleQuizzes.UserOverride(Optional.empty(), 6, "S1-Override#7",
                1796158800L, 1796421600L, Optional.of(2L)));
        assertThat(forms(moodle)).allSatisfy(f -> assertThat(f.keySet()).noneMatch(k -> k.startsWith("data[overrides][1]")));
    }

    @Test
    void a_token_without_manageoverrides_cannot_save_but_can_read_and_the_probe_tells_so_without_deleting() throws Exception {
        stub(moodle, "ws_quiz_overrides_27_nocap_save_error", NOCAP);
        stub(moodle, "ws_quiz_overrides_28_nocap_get", NOCAP);
        assertThatThrownBy(() -> quizzes.save(nocap, 4, new MoodleQuizzes.UserOverride(Optional.empty(), 7, "p", 0, 1)))
                .isInstanceOf(MoodleException.class);
        assertThat(quizzes.overrides(nocap, 4)).hasSize(2);
        // the probe: a delete of override 0 — capability first (capture 29's answer), then the ids (capture 26's)
        moodle.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(QuizCaptures.PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("mod_quiz_delete_overrides"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("wstoken=" + NOCAP))
                .willReturn(QuizCaptures.response("ws_quiz_overrides_29_nocap_delete_error")));
        moodle.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(QuizCaptures.PATH))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("mod_quiz_delete_overrides"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("wstoken=" + TOKEN))
                .willReturn(QuizCaptures.response("ws_quiz_overrides_26_delete_error_id_of_other_quiz")));
        assertThat(quizzes.manageCapability(nocap, 4).canManage()).contains(false);
        assertThat(quizzes.manageCapability(site, 4).canManage()).contains(true);
        assertThat(forms(moodle).stream().filter(f -> "mod_quiz_delete_overrides".equals(f.get("wsfunction"))))
                .allSatisfy(f -> assertThat(f).containsEntry("data[ids][0]", "0").doesNotContainKey("data[ids][1]"));
    }

    @Test
    void delete_is_all_or_nothing_and_echoes_the_ids() throws Exception {
        stub(moodle, "ws_quiz_overrides_23_delete_ok", TOKEN);
        assertThat(quizzes.delete(site, 4, List.of(4L, 3L))).containsExactly(4L, 3L);
        stub(moodle, "ws_quiz_overrides_24_delete_error_unknown_id", TOKEN);
        assertThatThrownBy(() -> quizzes.delete(site, 4, List.of(2L, 999999L))).isInstanceOf(MoodleException.class);
    }
}
