package kz.qatysu.tool.lti.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformsApiTest {
    static RunningTool tool;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
    }

    @AfterAll
    static void stop() {
        tool.close();
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tool.baseUrl() + path)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String moodle(String clientId) {
        return """
                {"issuer": "https://moodle.example.kz", "clientId": "%s", "name": "University Moodle",
                 "authLoginUrl": "https://moodle.example.kz/mod/lti/auth.php",
                 "authTokenUrl": "https://moodle.example.kz/mod/lti/token.php",
                 "keySetUrl": "https://moodle.example.kz/mod/lti/certs.php",
                 "deploymentIds": ["1"]}""".formatted(clientId);
    }

    @Test
    void an_administrator_registers_a_platform_and_gets_it_back_with_its_id() throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, moodle("AbC123"));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode p = json.readTree(created.body());
        assertThat(p.get("id").asLong()).isPositive();
        assertThat(p.get("issuer").asText()).isEqualTo("https://moodle.example.kz");
        assertThat(p.get("deploymentIds").get(0).asText()).isEqualTo("1");
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/admin/platforms/" + p.get("id").asLong());
        JsonNode fetched = json.readTree(call("GET", "/api/v1/admin/platforms/" + p.get("id").asLong(), RunningTool.ADMIN_TOKEN, null).body());
        assertThat(fetched.get("clientId").asText()).isEqualTo("AbC123");
    }

    @Test
    void the_same_issuer_may_have_several_client_ids_but_not_the_same_one_twice() throws Exception {
        assertThat(call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, moodle("first")).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, moodle("second")).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, moodle("first")).statusCode()).isEqualTo(409);
    }

    @Test
    void bad_input_names_every_field_and_stores_nothing() throws Exception {
        int before = json.readTree(call("GET", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, null).body()).size();
        HttpResponse<String> r = call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, """
                {"issuer": "http://moodle.example.kz", "clientId": "", "name": "M",
                 "authLoginUrl": "not a url", "authTokenUrl": "https://m.kz/token", "keySetUrl": "ftp://m.kz/keys",
                 "deploymentIds": []}""");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid platform registration");
        assertThat(body.get("details").findValuesAsText("path"))
                .containsExactly("issuer", "clientId", "authLoginUrl", "keySetUrl", "deploymentIds");
        assertThat(body.get("details").get(0).get("problem").asText()).contains("not an https URL");
        assertThat(json.readTree(call("GET", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, null).body()).size()).isEqualTo(before);
    }

    @Test
    void a_wrongly_typed_field_is_reported_by_name() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN,
                "{\"issuer\": 7, \"deploymentIds\": \"1\", \"enabled\": \"yes\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"path\":\"deploymentIds\"", "\"path\":\"enabled\"", "\"path\":\"issuer\"");
    }

    @Test
    void without_a_token_the_api_answers_401_and_with_a_token_lacking_the_scope_403() throws Exception {
        assertThat(call("GET", "/api/v1/admin/platforms", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/admin/platforms", "wrong-token-0123456789", null).statusCode()).isEqualTo(401);
        String syncToken = tool.app().apiAuth().issue("sync-daemon", EnumSet.of(Scope.SYNC)).token();
        assertThat(call("GET", "/api/v1/admin/platforms", syncToken, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/admin/platforms", syncToken, moodle("x")).statusCode()).isEqualTo(403);
    }

    @Test
    void delete_disables_the_platform_and_keeps_it_listed() throws Exception {
        long id = json.readTree(call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, moodle("to-disable")).body()).get("id").asLong();
        HttpResponse<String> r = call("DELETE", "/api/v1/admin/platforms/" + id, RunningTool.ADMIN_TOKEN, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("enabled").asBoolean()).isFalse();
        assertThat(call("GET", "/api/v1/admin/platforms/" + id, RunningTool.ADMIN_TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/admin/platforms/999999", RunningTool.ADMIN_TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void an_update_changes_the_registration_and_is_audited() throws Exception {
        long id = json.readTree(call("POST", "/api/v1/admin/platforms", RunningTool.ADMIN_TOKEN, moodle("to-update")).body()).get("id").asLong();
        String changed = moodle("to-update").replace("[\"1\"]", "[\"1\", \"2\"]").replace("University Moodle", "Университет Moodle");
        HttpResponse<String> r = call("PUT", "/api/v1/admin/platforms/" + id, RunningTool.ADMIN_TOKEN, changed);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("name").asText()).isEqualTo("Университет Moodle");
        int audits = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM admin_audit WHERE subject = :s").bind("s", "platform:" + id).mapTo(Integer.class).one());
        assertThat(audits).isEqualTo(2);
    }

    @Test
    void a_platform_registered_on_another_node_just_after_this_node_read_its_registry_takes_logins_here_at_once() {
        PlatformService nodeA = new PlatformService(new PlatformRepository(tool.database().jdbi()), java.time.Clock.systemUTC());
        PlatformService nodeB = new PlatformService(new PlatformRepository(tool.database().jdbi()), java.time.Clock.systemUTC());
        assertThat(nodeB.forLogin("https://lms.other-node.kz", "late-client")).isEmpty(); // B has just read its registry
        nodeA.register(new PlatformInput("https://lms.other-node.kz", "late-client", "Other node", "https://lms.other-node.kz/auth",
                "https://lms.other-node.kz/token", "https://lms.other-node.kz/jwks", java.util.List.of("1"), true), "test", "api");
        assertThat(nodeB.forLogin("https://lms.other-node.kz", "late-client")).as("well within a second of B's last read")
                .hasValueSatisfying(p -> assertThat(p.clientId()).isEqualTo("late-client"));
        assertThatThrownBy(() -> nodeB.register(new PlatformInput("https://lms.other-node.kz", "late-client", "Again",
                "https://lms.other-node.kz/auth", "https://lms.other-node.kz/token", "https://lms.other-node.kz/jwks",
                java.util.List.of("1"), true), "test", "api")).hasMessageContaining("already registered");
    }
}
