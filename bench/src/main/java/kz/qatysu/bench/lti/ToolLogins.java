package kz.qatysu.bench.lti;

import kz.qatysu.demo.platform.DemoPlatform;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Real login initiations at the tool, done before a timed id_token run: each gives the {@code state} and
 * {@code nonce} the tool issued (read from its redirect to the platform), bound to one browser cookie.
 */
public final class ToolLogins {
    public record Prepared(String state, String nonce) {
    }

    private ToolLogins() {
    }

    public static List<Prepared> prepare(HttpClient http, String toolBase, String issuer, String clientId, String deploymentId,
                                  String targetLinkUri, String browserCookie, int n) throws InterruptedException {
        List<Prepared> out = Collections.synchronizedList(new ArrayList<>(n));
        Semaphore inFlight = new Semaphore(16);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int sub = 1000 + (i % 500);
                inFlight.acquire();
                pool.submit(() -> {
                    try {
                        BenchBrowser b = new BenchBrowser(http);
                        b.setCookie("qatysu_bid", browserCookie);
                        HttpResponse<String> r = b.get(toolBase + "/lti/login?iss=" + BenchBrowser.enc(issuer) + "&login_hint=" + sub
                                + "&target_link_uri=" + BenchBrowser.enc(targetLinkUri) + "&client_id=" + BenchBrowser.enc(clientId)
                                + "&lti_deployment_id=" + BenchBrowser.enc(deploymentId) + "&lti_message_hint=bench");
                        if (r.statusCode() != 302) {
                            throw new IllegalStateException("login initiation answered " + r.statusCode() + ": " + r.body());
                        }
                        Map<String, String> q = query(URI.create(r.headers().firstValue("Location").orElseThrow()));
                        out.add(new Prepared(q.get("state"), q.get("nonce")));
                    } finally {
                        inFlight.release();
                    }
                    return null;
                });
            }
        }
        if (out.size() != n) {
            throw new IllegalStateException("only " + out.size() + " of " + n + " login initiations succeeded");
        }
        return out;
    }

    /** Registers the demo platform with the tool through its admin API, as an administrator would, before any login. */
    public static void registerPlatform(HttpClient http, String toolBase, String adminToken, DemoPlatform platform)
            throws java.io.IOException, InterruptedException {
        HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(toolBase + "/api/v1/admin/platforms"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(platform.registrationJson())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("platform registration answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new HashMap<>();
        for (String kv : uri.getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            q.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
        }
        return q;
    }
}
