package kz.qatysu.tool.lti.registration;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformConfigurationTest {
    @Test
    void the_issuer_must_be_the_origin_or_a_path_prefix_of_the_configuration_url() {
        URI moodle = URI.create("https://moodle.example.kz/mod/lti/openid-configuration.php");
        assertThat(PlatformConfiguration.issuerMatches("https://moodle.example.kz", moodle)).isTrue();
        assertThat(PlatformConfiguration.issuerMatches("https://moodle.example.kz/", moodle)).isTrue();
        assertThat(PlatformConfiguration.issuerMatches("https://MOODLE.example.kz:443", moodle)).isTrue();
        URI subdirectory = URI.create("https://univ.kz/moodle/mod/lti/openid-configuration.php");
        assertThat(PlatformConfiguration.issuerMatches("https://univ.kz/moodle", subdirectory)).isTrue();
        assertThat(PlatformConfiguration.issuerMatches("https://univ.kz/moodle2", subdirectory)).isFalse();
        assertThat(PlatformConfiguration.issuerMatches("https://other.kz", moodle)).isFalse();
        assertThat(PlatformConfiguration.issuerMatches("http://moodle.example.kz", moodle)).isFalse();
        assertThat(PlatformConfiguration.issuerMatches("https://moodle.example.kz:8443", moodle)).isFalse();
        assertThat(PlatformConfiguration.issuerMatches("https://moodle.example.kz.evil.com", moodle)).isFalse();
        assertThat(PlatformConfiguration.issuerMatches("not a url", moodle)).isFalse();
    }
}
