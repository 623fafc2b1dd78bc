package kz.qatysu.demo.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoPlatformTest {

    @Test
    void registration_json_is_the_body_the_tool_admin_api_expects() throws Exception {
        try (DemoPlatform p = DemoPlatform.start(new DemoPlatform.Settings(0, "http://localhost:8080", "demo-client", "3"))) {
            JsonNode r = new ObjectMapper().readTree(p.registrationJson());

            assertThat(r.get("issuer").asText()).isEqualTo("http://localhost:" + p.port()).isEqualTo(p.issuer());
            assertThat(r.get("clientId").asText()).isEqualTo("demo-client");
            assertThat(r.get("authLoginUrl").asText()).isEqualTo(p.issuer() + "/mod/lti/auth.php");
            assertThat(r.get("authTokenUrl").asText()).isEqualTo(p.issuer() + "/mod/lti/token.php");
            assertThat(r.get("keySetUrl").asText()).isEqualTo(p.issuer() + "/mod/lti/certs.php");
            assertThat(r.get("deploymentIds").get(0).asText()).isEqualTo("3");
            assertThat(r.get("name").asText()).isNotBlank();
            assertThat(p.demoPageUrl()).isEqualTo(p.issuer() + "/demo");
        }
    }

    @Test
    void the_key_set_publishes_the_signing_key_and_no_private_part() throws Exception {
        try (DemoPlatform p = DemoPlatform.start(DemoPlatform.Settings.forTool("http://localhost:8080"))) {
            JWKSet keys = JWKSet.parse(new PlatformBrowser().get(p.keySetUrl()).body());

            assertThat(keys.getKeys()).hasSize(1);
            assertThat(keys.getKeys().getFirst().getKeyID()).isEqualTo(p.keyId()).matches("[0-9a-f]{20}");
            assertThat(keys.getKeys().getFirst().isPrivate()).isFalse();
            assertThat(keys.getKeys().getFirst().toJSONObject()).containsEntry("alg", "RS256").containsEntry("use", "sig");
            assertThat(p.clientId()).matches("[A-Za-z0-9]{15}");
        }
    }

    @Test
    void a_platform_started_with_a_data_dir_keeps_its_key_across_restarts(@TempDir Path dir) throws Exception {
        String kid;
        try (DemoPlatform first = DemoPlatform.start(new DemoPlatform.Settings(0, "http://localhost:8080", "c", "1", dir))) {
            kid = first.keyId();
        }
        Path file = dir.resolve("demo-platform").resolve(PlatformKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        try (DemoPlatform second = DemoPlatform.start(new DemoPlatform.Settings(0, "http://localhost:8080", "c", "1", dir))) {
            assertThat(second.keyId()).isEqualTo(kid);
            assertThat(second.publicJwk().toRSAKey().getModulus()).isEqualTo(second.signingKey().getModulus());
        }
    }

    @Test
    void the_demo_page_offers_the_launches_in_kazakh_with_every_name_escaped() {
        try (DemoPlatform p = DemoPlatform.start(DemoPlatform.Settings.forTool("http://localhost:8080"))) {
            String page = new PlatformBrowser().get(p.demoPageUrl()).body();

            assertThat(page).contains("Алгоритмдер және деректер құрылымы").contains("CS101-2026F")
                    .contains(">Launch as teacher<").contains(">Launch as Әсел Қанатқызы<").contains(">Launch as Дәулет Шаһмаранұлы<")
                    .contains(">Deep linking as teacher<").contains("Open edX-style launch");
        }
    }

    @Test
    void html_escaping_covers_markup_and_attribute_quotes() {
        assertThat(Html.esc("<script>alert('x')</script> & \"q\"")).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.jsString("</script><b>\"")).isEqualTo("\"\\u003c/script\\u003e\\u003cb\\u003e\\\"\"");
    }

    @Test
    void settings_refuse_impossible_values() {
        assertThatThrownBy(() -> new DemoPlatform.Settings(70000, "http://localhost:8080", "c", "1")).hasMessageContaining("port");
        assertThatThrownBy(() -> new DemoPlatform.Settings(0, "ftp://x", "c", "1")).hasMessageContaining("toolBaseUrl");
        assertThatThrownBy(() -> new DemoPlatform.Settings(0, "http://localhost:8080", " ", "1")).hasMessageContaining("clientId");
    }
}
