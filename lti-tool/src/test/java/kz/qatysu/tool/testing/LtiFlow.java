package kz.qatysu.tool.testing;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Plays the real OIDC round trip against a running tool: login initiation → (platform) → launch POST. */
public final class LtiFlow {
    private final RunningTool tool;
    private final TestPlatform platform;
    private final Browser browser;

    public LtiFlow(RunningTool tool, TestPlatform platform, Browser browser) {
        this.tool = tool;
        this.platform = platform;
        this.browser = browser;
    }

    /** Registers the platform through the admin API; returns its id. */
    public long register() {
        var http = java.net.http.HttpClient.newHttpClient();
        try {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(tool.baseUrl() + "/api/v1/admin/platforms"))
                    .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(platform.registrationJson())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new AssertionError("registration failed: " + r.statusCode() + " " + r.body());
            }
            return ((Number) Fixtures.object(r.body()).get("id")).longValue();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public String targetLinkUri() {
        return tool.baseUrl() + "/lti/launch";
    }

    /** Moodle-style login initiation (auto-POSTed form); returns the auth request the tool sent the browser to. */
    public Map<String, String> login() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("iss", platform.issuer);
        form.put("target_link_uri", targetLinkUri());
        form.put("login_hint", "5");
        form.put("lti_message_hint", "{\"cmid\":2,\"launchid\":\"ltilaunch1_1558409997\"}");
        form.put("client_id", platform.clientId);
        form.put("lti_deployment_id", platform.deploymentId);
        HttpResponse<String> r = browser.postForm(tool.baseUrl() + "/lti/login", form);
        return Browser.queryOf(Browser.authRedirect(r));
    }

    /** Login, then a launch whose claims the test builds from the issued nonce; returns the launch response. */
    public HttpResponse<String> launch(BiFunction<String, String, Map<String, Object>> claimsForNonce) {
        Map<String, String> auth = login();
        String token = platform.sign(claimsForNonce.apply(auth.get("nonce"), targetLinkUri()));
        return post(token, auth.get("state"));
    }

    public HttpResponse<String> post(String idToken, String state) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("id_token", idToken);
        form.put("state", state);
        return browser.postForm(tool.baseUrl() + "/lti/launch", form);
    }

    public HttpResponse<String> follow(HttpResponse<String> redirect) {
        return browser.get(tool.baseUrl() + redirect.headers().firstValue("Location").orElseThrow());
    }
}
