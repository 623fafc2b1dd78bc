package kz.qatysu.connectors.moodle;

import com.github.tomakehurst.wiremock.WireMockServer;
import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static kz.qatysu.connectors.moodle.MoodleCaptures.moodleResponse;
import static kz.qatysu.connectors.moodle.MoodleCaptures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoodleClientTest {
    static final String TOKEN = "019994779e60b1b2728922f01fc04ee8";
    static WireMockServer moodle;

    @BeforeAll
    static void start() {
        moodle = new WireMockServer(options().dynamicPort());
        moodle.start();
    }

    @AfterAll
    static void stop() {
        moodle.stop();
    }

    @BeforeEach
    void reset() {
        moodle.resetAll();
    }

    private MoodleClient client(int maxInputVars) {
        var http = new HttpConnector(HttpSettings.defaults("moodle", URI.create(moodle.baseUrl()))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20)).withRateLimit(0));
        return new MoodleClient(http, new Secret(TOKEN), maxInputVars);
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder ws(String function) {
        return post(urlEqualTo(MoodleClient.ENDPOINT)).withFormParam("wsfunction", equalTo(function));
    }

    @Test
    void site_info_is_read_from_a_real_answer_and_lists_the_allowed_functions() {
        moodle.stubFor(ws("core_webservice_get_site_info").willReturn(response("ws_01_core_webservice_get_site_info")));

        MoodleModel.SiteInfo info = client(1000).siteInfo();

        assertThat(info.release()).isEqualTo("4.5.6 (Build: 20250811)");
        assertThat(info.functions()).contains("core_user_create_users", "enrol_manual_enrol_users");
        moodle.verify(postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("wstoken", equalTo(TOKEN))
                .withFormParam("moodlewsrestformat", equalTo("json")));
    }

    @Test
    void users_are_created_with_php_array_parameters_and_kazakh_text_intact() {
        moodle.stubFor(ws("core_user_create_users").willReturn(response("ws_04_core_user_create_users")));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", "wsstudent_mwu1vd9z");
        user.put("firstname", "Әйгерім");
        user.put("lastname", "Ұлықбекқызы ғңөүһі");
        user.put("email", "wsstudent_mwu1vd9z@example.com");
        user.put("idnumber", "S-WS-mwu1vd9z");
        user.put("auth", "oauth2");
        user.put("customfields", List.of(Map.of("type", "group", "value", "ИС-21-1")));

        List<MoodleModel.Created> created = client(1000).createUsers(List.of(user));

        assertThat(created).containsExactly(new MoodleModel.Created(8, "wsstudent_mwu1vd9z"));
        moodle.verify(postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT))
                .withFormParam("users[0][username]", equalTo("wsstudent_mwu1vd9z"))
                .withFormParam("users[0][firstname]", equalTo("Әйгерім"))
                .withFormParam("users[0][lastname]", equalTo("Ұлықбекқызы ғңөүһі"))
                .withFormParam("users[0][customfields][0][type]", equalTo("group"))
                .withFormParam("users[0][customfields][0][value]", equalTo("ИС-21-1")));
    }

    @Test
    void an_http_200_exception_body_is_an_error_naming_function_code_and_moodle_debug_info() {
        moodle.stubFor(ws("core_user_create_users").willReturn(response("ws_21_error_duplicate_username")));

        assertThatThrownBy(() -> client(1000).createUsers(List.of(Map.of("username", "student1"))))
                .isInstanceOf(MoodleException.class)
                .hasMessage("moodle: core_user_create_users: core\\exception\\invalid_parameter_exception invalidparameter: "
                        + "Invalid parameter value detected (Username already exists: student1)")
                .satisfies(e -> assertThat(((MoodleException) e).isGlobal()).isFalse());
    }

    @Test
    void token_and_access_errors_are_global_and_never_bisected() {
        moodle.stubFor(ws("enrol_manual_enrol_users").willReturn(response("ws_17_error_bad_token")));
        List<Map<String, Object>> enrolments = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            enrolments.add(Map.of("roleid", 5, "userid", 100 + i, "courseid", 2));
        }
        MoodleClient client = client(1000);

        assertThatThrownBy(() -> MoodleBatches.isolating(enrolments, batch -> {
            client.enrolUsers(batch);
            return null;
        })).isInstanceOf(MoodleException.class).hasMessageContaining("invalidtoken");
        moodle.verify(1, postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT)));
    }

    @Test
    void a_function_missing_from_the_service_is_a_global_error() {
        moodle.stubFor(ws("core_course_delete_courses").willReturn(response("ws_22_error_function_not_in_service")));
        assertThatThrownBy(() -> client(1000).call("core_course_delete_courses", Map.of("courseids", List.of(99999))))
                .isInstanceOfSatisfying(MoodleException.class, e -> assertThat(e.isGlobal()).isTrue());
    }

    @Test
    void one_bad_record_is_isolated_by_bisection_and_the_other_seven_are_enrolled() {
        // the batch containing user 105 is rolled back by Moodle; every other batch answers the void "null"
        moodle.stubFor(ws("enrol_manual_enrol_users").atPriority(1)
                .withRequestBody(containing("userid%5D=105"))
                .willReturn(moodleResponse("""
                        {"exception":"moodle_exception","errorcode":"wsusercannotassign","message":"You don't have the permission to assign this role (5) to this user (105) in this course(2)."}""")));
        moodle.stubFor(ws("enrol_manual_enrol_users").atPriority(2).willReturn(moodleResponse("null")));
        List<Map<String, Object>> enrolments = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            enrolments.add(Map.of("roleid", 5, "userid", 100 + i, "courseid", 2));
        }
        MoodleClient client = client(1000);

        var outcome = MoodleBatches.isolating(enrolments, batch -> {
            client.enrolUsers(batch);
            return null;
        });

        assertThat(outcome.failed()).singleElement().satisfies(f -> {
            assertThat(f.item().get("userid")).isEqualTo(105);
            assertThat(f.error().reason()).startsWith("wsusercannotassign: You don't have the permission");
        });
        assertThat(outcome.done().stream().mapToInt(d -> d.items().size()).sum()).isEqualTo(7);
        // 8 → 4+4 → (2+2) → (1+1): one failing path of depth 3, two calls per level, plus the first
        moodle.verify(7, postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT)));
        assertThat(client.writeCalls()).isEqualTo(7);
    }

    @Test
    void a_call_beyond_max_input_vars_is_refused_before_php_could_truncate_it() {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            users.add(Map.of("username", "u" + i, "firstname", "A", "lastname", "B", "email", "u" + i + "@x.kz"));
        }
        assertThatThrownBy(() -> client(100).createUsers(users))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("123 form variables exceed max_input_vars=100");
        moodle.verify(0, postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT)));

        var chunks = MoodleBatches.chunks(users, 50, 100, 3, MoodleBatches::vars);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.getFirst()).hasSize(24);
        assertThat(chunks.stream().mapToInt(List::size).sum()).isEqualTo(30);
    }

    @Test
    void a_create_answered_for_fewer_records_than_sent_is_flagged_as_truncation() {
        moodle.stubFor(ws("core_user_create_users").willReturn(moodleResponse("[{\"id\":8,\"username\":\"a\"}]")));
        assertThatThrownBy(() -> client(1000).createUsers(List.of(Map.of("username", "a"), Map.of("username", "b"))))
                .isInstanceOf(HttpFailure.class)
                .hasMessageContaining("sent 2 records, Moodle answered for 1")
                .hasMessageContaining("max_input_vars");
    }

    @Test
    void an_xml_answer_is_reported_as_not_json() {
        String xml = MoodleCaptures.capture("ws_25_site_info_xml_format").path("response").path("body").asText();
        moodle.stubFor(ws("core_webservice_get_site_info").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/xml; charset=utf-8").withBody(xml)));
        assertThatThrownBy(() -> client(1000).siteInfo())
                .isInstanceOf(HttpFailure.class)
                .hasMessageContaining("core_webservice_get_site_info: answer is not valid JSON");
    }

    @Test
    void reads_parse_the_real_answers_of_users_courses_groups_and_calendar() {
        moodle.stubFor(ws("core_user_get_users_by_field").willReturn(response("ws_02_core_user_get_users_by_field_username")));
        moodle.stubFor(ws("core_course_get_courses_by_field").willReturn(response("ws_05_core_course_get_courses_by_field")));
        moodle.stubFor(ws("core_group_get_course_groups").willReturn(response("ws_11_core_group_get_course_groups")));
        moodle.stubFor(ws("core_group_get_group_members").willReturn(response("ws_10_core_group_get_group_members")));
        moodle.stubFor(ws("core_calendar_get_calendar_events").willReturn(response("ws_13_core_calendar_get_calendar_events")));
        moodle.stubFor(ws("core_enrol_get_enrolled_users").willReturn(response("ws_06_core_enrol_get_enrolled_users")));
        MoodleClient client = client(1000);

        assertThat(client.usersByField("username", List.of("student1", "teacher1")))
                .extracting(MoodleModel.User::idnumber).containsExactly("T-1001", "S-2001");
        assertThat(client.coursesByField("shortname", "ATT101")).singleElement()
                .satisfies(c -> assertThat(c.idnumber()).isEqualTo("ATT101-2025"));
        assertThat(client.courseGroups(2)).extracting(MoodleModel.Group::idnumber).contains("GRP-A");
        assertThat(client.groupMembers(List.of(3L))).singleElement()
                .satisfies(g -> assertThat(g.userids()).containsExactly(5L, 8L));
        assertThat(client.courseEvents(List.of(2L))).extracting(MoodleModel.Event::timeduration).containsOnly(5400L);
        assertThat(client.enrolledUsers(2, 0, 500)).filteredOn(u -> u.idnumber().equals("S-2001")).singleElement()
                .satisfies(u -> {
                    assertThat(u.roles()).containsExactly("student");
                    assertThat(u.groupIds()).containsExactly(1L);
                });
        moodle.verify(postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT))
                .withFormParam("events[courseids][0]", equalTo("2"))
                .withFormParam("options[userevents]", equalTo("0")));
        assertThat(client.readCalls()).isEqualTo(6);
        assertThat(client.writeCalls()).isZero();
    }

    @Test
    void calendar_events_are_created_in_the_captured_shape() {
        moodle.stubFor(ws("core_calendar_create_calendar_events").willReturn(response("ws_12_core_calendar_create_calendar_events")));
        var created = client(1000).createCalendarEvents(List.of(Map.of("name", "Proctored midterm (harness)",
                "courseid", 2, "eventtype", "course", "timestart", 1795572174L, "timeduration", 5400, "visible", true)));
        assertThat(created.events()).singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(2));
        assertThat(created.warnings()).isEmpty();
        moodle.verify(postRequestedFor(urlEqualTo(MoodleClient.ENDPOINT)).withFormParam("events[0][visible]", equalTo("1")));
    }

    @Test
    void grade_items_are_read_from_a_real_moodle_45_gradebook_with_manual_items_and_the_course_total() {
        moodle.stubFor(ws("gradereport_user_get_grade_items").willReturn(response("ws_grades_01_user_grade_items")));

        List<MoodleModel.GradeItem> items = client(1000).gradeItems(127, 0);

        assertThat(items).hasSize(10);
        assertThat(items).filteredOn(g -> g.useridnumber().equals("S-2001")).extracting(MoodleModel.GradeItem::idnumber)
                .containsExactly("FINAL", "MT", "RK1", "RK2", "");
        MoodleModel.GradeItem rk1 = items.stream().filter(g -> g.useridnumber().equals("S-2001") && g.idnumber().equals("RK1")).findFirst().orElseThrow();
        assertThat(rk1.cmid()).isNull();
        assertThat(rk1.itemtype()).isEqualTo("manual");
        assertThat(rk1.graderaw()).isEqualTo(85.0);
        assertThat(rk1.grademax()).isEqualTo(100.0);
        MoodleModel.GradeItem mt = items.stream().filter(g -> g.useridnumber().equals("S-2002") && g.idnumber().equals("MT")).findFirst().orElseThrow();
        assertThat(mt.cmid()).isEqualTo(135L);
        assertThat(mt.graderaw()).isNull();
        assertThat(items).filteredOn(g -> g.idnumber().equals("FINAL")).allSatisfy(g -> assertThat(g.grademax()).isEqualTo(10.0));
    }

    @Test
    void the_fake_gradebook_answers_with_the_fields_of_moodle_45_for_activities_manual_items_and_the_total() throws Exception {
        FakeMoodle fake = new FakeMoodle();
        WireMockServer server = FakeMoodle.start(fake);
        try {
            fake.users.put(6L, new java.util.concurrent.ConcurrentHashMap<>(Map.of("id", 6L, "username", "s1", "idnumber", "S-2001",
                    "firstname", "Student", "lastname", "One")));
            fake.courses.put(127L, new java.util.concurrent.ConcurrentHashMap<>(Map.of("id", 127L, "idnumber", "ALG101-2026")));
            fake.enrolments.put(127L, new java.util.concurrent.ConcurrentHashMap<>(Map.of(6L, Map.of("roleid", 5))));
            fake.addGradeItem(127, "FINAL", "quiz");
            fake.grade(fake.addManualGradeItem(127, "RK1", 100), 6, 85);
            var http = java.net.http.HttpClient.newHttpClient();
            String body = http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.baseUrl() + MoodleClient.ENDPOINT))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("wstoken=t&wsfunction=gradereport_user_get_grade_items"
                            + "&moodlewsrestformat=json&courseid=127&userid=0")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var fakeUser = mapper.readTree(body).path("usergrades").get(0);
            var realUser = MoodleCaptures.capture("ws_grades_01_user_grade_items").path("response").path("body").path("usergrades").get(0);

            assertThat(names(fakeUser)).isEqualTo(names(realUser));
            // the real ungraded FINAL quiz, graded manual RK1 and course total, field for field
            assertThat(names(fakeUser.path("gradeitems").get(0))).isEqualTo(names(realUser.path("gradeitems").get(0)));
            assertThat(names(fakeUser.path("gradeitems").get(1))).isEqualTo(names(realUser.path("gradeitems").get(2)));
            assertThat(names(fakeUser.path("gradeitems").get(2))).isEqualTo(names(realUser.path("gradeitems").get(4)));
            assertThat(fakeUser.path("gradeitems").get(1).path("graderaw").asDouble()).isEqualTo(85.0);
            assertThat(fakeUser.path("gradeitems").get(2).path("idnumber").isNull()).isTrue();
        } finally {
            server.stop();
        }
    }

    private static List<String> names(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
