package kz.qatysu.bench.lti;

import kz.qatysu.demo.platform.DemoPlatform;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java twin of bench.js's request for the open-loop runs: the same Open edX-shaped claim set, signed with the
 * platform key, pre-minted before the run; posted as {@code id_token} + {@code state}, with the state cookie each
 * tool needs (ltijs: {@code state<state>} = cookie-parser's signature of the issuer; Qatysu: its browser cookie and
 * a state and nonce from a real login initiation).
 */
public final class TokenPoster {
    private static final String P = "https://purl.imsglobal.org/spec/lti/claim/";

    public record Prepared(String body, String cookie) {
    }

    private TokenPoster() {
    }

    static List<Prepared> forLtijs(DemoPlatform platform, String url, String clientId, String secret, int n) {
        List<Prepared> out = new ArrayList<>(n);
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < n; i++) {
            String state = hex(random, 20);
            String token = platform.signIdToken(claims(platform.issuer(), clientId, url, i, hex(random, 16)), platform.keyId());
            String cookie = "state" + state + "=" + URLEncoder.encode("s:" + sign(platform.issuer(), secret), StandardCharsets.UTF_8);
            out.add(new Prepared(form(token, state), cookie));
        }
        return out;
    }

    public static List<Prepared> forQatysu(DemoPlatform platform, String url, String clientId, List<ToolLogins.Prepared> states, String browserCookie) {
        List<Prepared> out = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            String token = platform.signIdToken(claims(platform.issuer(), clientId, url, i, states.get(i).nonce()), platform.keyId());
            out.add(new Prepared(form(token, states.get(i).state()), "qatysu_bid=" + browserCookie));
        }
        return out;
    }

    public static Runnable post(HttpClient http, String url, Prepared p, int expect) {
        return () -> {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", p.cookie()).POST(HttpRequest.BodyPublishers.ofString(p.body())).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != expect) {
                    throw new IllegalStateException("HTTP " + r.statusCode());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        };
    }

    /** The claims bench.js mints for token {@code i}. */
    static Map<String, Object> claims(String iss, String aud, String url, int i, String nonce) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(P + "message_type", "LtiResourceLinkRequest");
        c.put(P + "version", "1.3.0");
        c.put("iss", iss);
        c.put("aud", aud);
        c.put("azp", aud);
        c.put(P + "deployment_id", "1");
        c.put(P + "target_link_uri", url);
        c.put("sub", String.valueOf(1000 + (i % 500)));
        c.put(P + "roles", List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"));
        c.put(P + "resource_link", Map.of("id", "block-v1:edX+DemoX+Demo_Course+type@lti_consumer+block@" + (i % 50)));
        c.put(P + "context", Map.of("id", "course-v1:edX+DemoX+Demo_Course",
                "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")));
        c.put(P + "launch_presentation", Map.of("document_target", "iframe"));
        c.put(P + "tool_platform", Map.of("guid", "4c6d257d-2683-513f-ac76-b46c8480477b", "name", "Open edX Simulator"));
        c.put("nonce", nonce);
        c.put("iat", now);
        c.put("exp", now + 3600);
        return c;
    }

    /** cookie-signature's sign(): value + "." + base64(HMAC-SHA256(secret, value)) without padding. */
    static String sign(String value, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String sig = Base64.getEncoder().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8))).replaceAll("=+$", "");
            return value + "." + sig;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(String token, String state) {
        return "id_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8);
    }

    private static String hex(SecureRandom r, int bytes) {
        byte[] b = new byte[bytes];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
