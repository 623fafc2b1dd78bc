package kz.qatysu.tool;

import kz.qatysu.config.ConfigProblem;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolSettingsTest {

    @Test
    void by_default_no_proxy_is_trusted_and_five_wrong_check_in_codes_are_allowed() {
        var problems = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of()), problems));
        assertThat(problems.list()).isEmpty();
        assertThat(s.security().trustedProxies().isEmpty()).isTrue();
        assertThat(s.security().checkinMaxWrongCodes()).isEqualTo(5);
    }

    @Test
    void trusted_proxies_come_from_the_environment_as_a_comma_separated_list() {
        var problems = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(ConfigSource.of("",
                Map.of("QATYSU_HTTP_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16", "QATYSU_CHECKIN_MAX_WRONG_CODES", "3")), problems));
        assertThat(problems.list()).isEmpty();
        assertThat(s.security().trustedProxies().contains("10.1.2.3")).isTrue();
        assertThat(s.security().trustedProxies().contains("10.2.0.1")).isFalse();
        assertThat(s.security().checkinMaxWrongCodes()).isEqualTo(3);
    }

    @Test
    void a_bad_proxy_entry_or_cap_is_reported_naming_its_key() {
        var problems = new ConfigProblems();
        ToolSettings.read(new ConfigReader(ConfigSource.of("""
                http: {trustedProxies: [10.0.0.5, proxy.univ.kz]}
                checkin: {maxWrongCodes: 0}
                """, Map.of()), problems));
        assertThat(problems.list()).extracting(ConfigProblem::path).contains("http.trustedProxies", "checkin.maxWrongCodes");
        assertThat(problems.list()).filteredOn(p -> p.path().equals("http.trustedProxies")).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("proxy.univ.kz"));
    }

    @Test
    void openid_connect_sign_in_is_off_by_default_and_an_incomplete_set_up_names_each_missing_key() {
        var problems = new ConfigProblems();
        assertThat(ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of()), problems)).oidc()).isEmpty();
        var incomplete = new ConfigProblems();
        ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_OIDC_ISSUER", "http://idp.example.kz/realms/uni",
                "QATYSU_OIDC_PERSON_CLAIM", "has space")), incomplete));
        assertThat(incomplete.list()).extracting(ConfigProblem::path)
                .contains("oidc.issuer", "oidc.clientId", "oidc.clientSecret", "oidc.personClaim");
    }

    @Test
    void the_openid_connect_client_secret_never_appears_in_the_settings_text() {
        var problems = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_OIDC_ISSUER", "https://idp.example.kz/realms/uni",
                "QATYSU_OIDC_CLIENT_ID", "qatysu", "QATYSU_OIDC_CLIENT_SECRET", "very-secret-value")), problems));
        assertThat(problems.list()).isEmpty();
        assertThat(s.oidc().orElseThrow().personClaim()).isEqualTo("sub");
        assertThat(s.oidc().orElseThrow().toString()).contains("qatysu", "<masked>").doesNotContain("very-secret-value");
    }
}
