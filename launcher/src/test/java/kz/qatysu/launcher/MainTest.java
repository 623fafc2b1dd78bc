package kz.qatysu.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void config_check_reports_every_problem_with_its_key_and_exits_2() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                http:
                  port: 99999
                platforms:
                  - issuer: http://moodle.example.kz
                    clientId: AbC123
                    name: Moodle
                    authLoginUrl: https://moodle.example.kz/mod/lti/auth.php
                    authTokenUrl: https://moodle.example.kz/mod/lti/token.php
                    keySetUrl: http://moodle.example.kz/mod/lti/certs.php
                    deploymentIds: ["1"]
                """);
        Result r = run(Map.of(), "config", "check", "--config", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("3 problems",
                "http.port: must be between 0 and 65535, was 99999",
                "platforms[0].issuer: not an https URL",
                "platforms[0].keySetUrl: not an https URL");
    }

    @Test
    void config_check_accepts_a_valid_file_and_environment_overrides() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "http:\n  port: 9000\n");
        Result r = run(Map.of("QATYSU_ADMIN_TOKEN", "a-long-enough-admin-token"), "config", "check", "--config", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("is valid");
        Result bad = run(Map.of("QATYSU_HTTP_PORT", "eighty"), "config", "check", "--config", f.toString());
        assertThat(bad.err()).contains("http.port: not an integer: 'eighty'");
    }

    @Test
    void config_check_refuses_an_http_host_this_machine_does_not_have_naming_the_key() {
        Result bad = run(Map.of("QATYSU_HTTP_HOST", "203.0.113.77"), "config", "check");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("http.host: not an address of this host", "'203.0.113.77'");
    }

    @Test
    void the_example_configuration_of_the_tool_is_valid() {
        Path example = Path.of("..", "config", "qatysu-example.yaml");
        Result r = run(Map.of("QATYSU_ADMIN_TOKEN", "a-long-enough-admin-token"), "config", "check", "--config", example.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void an_unknown_command_prints_usage_and_exits_2() {
        Result r = run(Map.of(), "frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command 'frobnicate'", "./qatysu <command>");
    }

    @Test
    void admin_commands_need_the_admin_token() {
        Result r = run(Map.of(), "platforms", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("admin.token");
    }
}
