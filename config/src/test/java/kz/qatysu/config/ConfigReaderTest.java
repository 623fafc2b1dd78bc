package kz.qatysu.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReaderTest {

    @Test
    void environment_variable_overrides_the_file_by_upper_snake_case_name() {
        var source = ConfigSource.of("http:\n  port: 9000\npublicUrl: https://tool.example.kz\n",
                Map.of("QATYSU_HTTP_PORT", "9100"));
        var problems = new ConfigProblems();
        var settings = ProcessSettings.read(new ConfigReader(source, problems));
        assertThat(problems.list()).isEmpty();
        assertThat(settings.httpPort()).isEqualTo(9100);
        assertThat(settings.publicUrl()).hasToString("https://tool.example.kz");
    }

    @Test
    void the_named_process_variables_of_the_api_contract_work() {
        var source = ConfigSource.of("", Map.of(
                "QATYSU_HTTP_PORT", "8181",
                "QATYSU_PUBLIC_URL", "https://q.example.kz/",
                "QATYSU_DATA_DIR", "/var/lib/qatysu",
                "QATYSU_DB_URL", "jdbc:postgresql://db:5432/qatysu",
                "QATYSU_DB_USER", "qatysu",
                "QATYSU_DB_PASSWORD", "s3cret-pass",
                "QATYSU_ADMIN_TOKEN", "admin-token-0123456789"));
        var problems = new ConfigProblems();
        var s = ProcessSettings.read(new ConfigReader(source, problems));
        assertThat(problems.list()).isEmpty();
        assertThat(s.httpPort()).isEqualTo(8181);
        assertThat(s.publicUrl()).hasToString("https://q.example.kz");
        assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/qatysu"));
        assertThat(s.db().url()).contains("jdbc:postgresql://db:5432/qatysu");
        assertThat(s.db().user()).isEqualTo("qatysu");
        assertThat(s.db().password().orElseThrow().reveal()).isEqualTo("s3cret-pass");
        assertThat(s.adminToken().orElseThrow().matches("admin-token-0123456789")).isTrue();
    }

    @Test
    void http_host_by_default_listens_on_loopback_behind_a_proxy_on_this_host_and_on_every_interface_otherwise() {
        assertThat(host(Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "127.0.0.1, ::1"))).isEqualTo("127.0.0.1");
        assertThat(host(Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "127.0.0.0/8"))).isEqualTo("127.0.0.1");
        assertThat(host(Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "127.0.0.1,10.0.0.5"))).as("a proxy on another host").isEqualTo("0.0.0.0");
        assertThat(host(Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "0.0.0.0/0"))).isEqualTo("0.0.0.0");
        assertThat(host(Map.of())).as("publicUrl defaults to http://localhost").isEqualTo("127.0.0.1");
        assertThat(host(Map.of("QATYSU_PUBLIC_URL", "https://qatysu.univ.kz"))).as("clients reach the node itself").isEqualTo("0.0.0.0");
        assertThat(host(Map.of("QATYSU_PUBLIC_URL", "https://qatysu.univ.kz", "QATYSU_HTTP_HOST", "127.0.0.1"))).isEqualTo("127.0.0.1");
        assertThat(host(Map.of("QATYSU_HTTP_HOST", "::"))).isEqualTo("0:0:0:0:0:0:0:0");
    }

    @Test
    void http_host_that_is_a_name_or_not_an_address_of_this_host_is_refused_naming_the_key() {
        for (String bad : new String[]{"tool.univ.kz", "localhost", "300.1.1.1", "203.0.113.77"}) {
            var problems = new ConfigProblems();
            ProcessSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_HTTP_HOST", bad)), problems));
            assertThat(problems.list()).as(bad).singleElement().asString().startsWith("http.host: ").contains("'" + bad + "'");
        }
        var problems = new ConfigProblems();
        ProcessSettings.read(new ConfigReader(ConfigSource.of("http:\n  host: 203.0.113.77\n", Map.of()), problems));
        assertThat(problems.list()).singleElement().asString().contains("not an address of this host");
    }

    @Test
    void the_local_url_reaches_the_server_at_its_own_address_or_at_loopback_when_it_listens_on_every_interface() {
        var all = ProcessSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_HTTP_HOST", "0.0.0.0")), new ConfigProblems()));
        assertThat(all.localUrl()).hasToString("http://127.0.0.1:8080");
        var one = ProcessSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_HTTP_HOST", "127.0.0.1",
                "QATYSU_HTTP_PORT", "9000")), new ConfigProblems()));
        assertThat(one.localUrl()).hasToString("http://127.0.0.1:9000");
        assertThat(one.toString()).contains("httpHost=127.0.0.1");
    }

    private static String host(Map<String, String> env) {
        var problems = new ConfigProblems();
        var s = ProcessSettings.read(new ConfigReader(ConfigSource.of("", env), problems));
        assertThat(problems.list()).isEmpty();
        return s.httpHost();
    }

    @Test
    void secrets_never_print_their_value() {
        var source = ConfigSource.of("", Map.of("QATYSU_ADMIN_TOKEN", "admin-token-0123456789",
                "QATYSU_DB_URL", "jdbc:postgresql://db/q?password=hunter2", "QATYSU_DB_PASSWORD", "hunter2"));
        var s = ProcessSettings.read(new ConfigReader(source, new ConfigProblems()));
        assertThat(s.toString()).doesNotContain("admin-token-0123456789").doesNotContain("hunter2").contains("<masked>");
    }

    @Test
    void a_secret_can_come_from_a_file_named_by_a_FILE_variable() throws Exception {
        Path f = Files.createTempFile("token", ".txt");
        Files.writeString(f, "from-file-token-0123456789\n");
        var source = ConfigSource.of("", Map.of("QATYSU_ADMIN_TOKEN_FILE", f.toString()));
        var s = ProcessSettings.read(new ConfigReader(source, new ConfigProblems()));
        assertThat(s.adminToken().orElseThrow().reveal()).isEqualTo("from-file-token-0123456789");
    }

    @Test
    void all_problems_are_reported_at_once_with_their_key_path() {
        var source = ConfigSource.of("""
                http:
                  port: eighty
                publicUrl: "not a url"
                db:
                  url: mysql://x
                platforms:
                  - keySetUrl: http://moodle.example.kz/certs.php
                """, Map.of());
        var problems = new ConfigProblems();
        var r = new ConfigReader(source, problems);
        ProcessSettings.read(r);
        r.url("platforms[0].keySetUrl", true);
        assertThat(problems.list()).extracting(ConfigProblem::path)
                .containsExactly("http.port", "publicUrl", "db.url", "platforms[0].keySetUrl");
        assertThat(problems.list().get(3).toString())
                .startsWith("platforms[0].keySetUrl: not an https URL");
        assertThatThrownBy(problems::throwIfAny).isInstanceOf(ConfigException.class)
                .hasMessageContaining("4 problems");
    }

    @Test
    void loopback_hosts_may_use_plain_http() {
        assertThat(ConfigReader.urlProblem("http://127.0.0.1:8100/mod/lti/certs.php", true)).isNull();
        assertThat(ConfigReader.urlProblem("http://localhost/x", true)).isNull();
        assertThat(ConfigReader.urlProblem("http://[::1]:80/x", true)).isNull();
        assertThat(ConfigReader.urlProblem("http://10.0.0.1/x", true)).contains("not an https URL");
        assertThat(ConfigReader.urlProblem("ftp://moodle.kz/x", true)).contains("not an absolute http(s) URL");
    }

    @Test
    void list_elements_can_be_added_or_overridden_from_the_environment() {
        var source = ConfigSource.of("platforms:\n  - issuer: https://a.kz\n", Map.of(
                "QATYSU_PLATFORMS_1_ISSUER", "https://b.kz",
                "QATYSU_PLATFORMS_0_DEPLOYMENT_IDS", "1,2"));
        var r = new ConfigReader(source, new ConfigProblems());
        assertThat(r.size("platforms")).isEqualTo(2);
        assertThat(r.requiredString("platforms[1].issuer")).isEqualTo("https://b.kz");
        assertThat(r.stringList("platforms[0].deploymentIds")).containsExactly("1", "2");
        assertThat(ConfigSource.envName("platforms[0].keySetUrl")).isEqualTo("QATYSU_PLATFORMS_0_KEY_SET_URL");
    }

    @Test
    void durations_accept_short_and_iso_forms() {
        var source = ConfigSource.of("a: 30s\nb: PT2M\nc: 5 parsecs\n", Map.of());
        var problems = new ConfigProblems();
        var r = new ConfigReader(source, problems);
        assertThat(r.duration("a", Duration.ZERO)).hasSeconds(30);
        assertThat(r.duration("b", Duration.ZERO)).hasMinutes(2);
        assertThat(r.duration("c", Duration.ZERO)).isZero();
        assertThat(problems.list()).singleElement().extracting(ConfigProblem::path).isEqualTo("c");
    }
}
