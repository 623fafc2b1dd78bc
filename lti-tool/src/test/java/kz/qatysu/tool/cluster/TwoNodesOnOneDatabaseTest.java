package kz.qatysu.tool.cluster;

import com.nimbusds.jose.jwk.JWKSet;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tool nodes on one database, in one JVM (each its own app, caches and port): what one node changes, the other
 * acts on at once — not after its 30 s caches expire. The same on separate JVMs behind nginx: the cluster module.
 */
class TwoNodesOnOneDatabaseTest {
    static RunningTool a;
    static RunningTool b;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        a = RunningTool.start();
        b = a.anotherNode(Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void a_platform_registered_on_one_node_accepts_a_login_and_launch_on_the_other_at_once() throws Exception {
        b.app(); // node B has loaded its registry before the registration
        Thread.sleep(1100);
        try (TestPlatform platform = new TestPlatform("https://lms-" + System.nanoTime() + ".univ.kz", "client-b", "1")) {
            new LtiFlow(a, platform, new Browser()).register();
            LtiFlow onB = new LtiFlow(b, platform, new Browser());
            var launch = onB.launch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
            assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
        }
    }

    @Test
    void a_platform_registered_on_one_node_may_frame_the_other_nodes_pages_within_seconds() throws Exception {
        String origin = "https://lms-" + System.nanoTime() + ".univ.kz";
        get(b, "/health"); // node B's registry is loaded before the registration
        try (TestPlatform platform = new TestPlatform(origin, "client-frame", "1")) {
            new LtiFlow(a, platform, new Browser()).register();
            Thread.sleep(2_100);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .as("frame-ancestors on node B").contains(origin);
        }
    }

    @Test
    void a_key_rotated_on_one_node_is_in_the_other_nodes_jwks_at_once() throws Exception {
        String before = get(b, "/.well-known/jwks.json"); // node B's key set is loaded
        HttpResponse<String> rotated = http.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/admin/keys/rotate"))
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rotated.statusCode()).as(rotated.body()).isBetween(200, 201);
        String newKid = (String) kz.qatysu.tool.testing.Fixtures.object(rotated.body()).get("kid");
        assertThat(before).doesNotContain(newKid);
        JWKSet onB = JWKSet.parse(get(b, "/.well-known/jwks.json"));
        assertThat(onB.getKeyByKeyId(newKid)).as("node B publishes the key node A now signs with").isNotNull();
    }

    private static String get(RunningTool node, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
