package kz.qatysu.tool.web;

import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** HSTS is sent when the public URL is https (the tool behind a TLS proxy), and only then. */
class StrictTransportSecurityTest {
    @Test
    void an_https_public_url_puts_hsts_on_pages_and_api_answers_and_plain_http_does_not() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (RunningTool https = RunningTool.start(Map.of("QATYSU_PUBLIC_URL", "https://qatysu.univ.kz"), Clock.systemUTC());
             RunningTool plain = RunningTool.start()) {
            for (String path : new String[]{"/health", "/.well-known/jwks.json", "/lti/login"}) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(https.baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(r.headers().firstValue("Strict-Transport-Security")).as(path).contains("max-age=31536000");
            }
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(plain.baseUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }
}
