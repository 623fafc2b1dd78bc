package kz.qatysu.tool.proctoring.lms.openedx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Open edX's service endpoints on loopback, for the tool's ACS calls: the token endpoint (client credentials, as
 * {@code /api/lti_consumer/v1/token/…} answers: a bearer token) and edx-exams' {@code acs} view, which records each
 * request (its Authorization header and JSON body) and answers {@code {"status": "terminated"}} — or 503 while
 * {@link #down} is set, as an LMS being restarted would.
 */
final class FakeOpenEdxServices implements AutoCloseable {
    record Call(String authorization, String body) {
    }

    final List<Call> acsCalls = new CopyOnWriteArrayList<>();
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    volatile boolean down;
    private final HttpServer server;

    FakeOpenEdxServices() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            tokenRequests.add(body);
            if (down) {
                answer(ex, 503, "{\"error\":\"unavailable\"}");
                return;
            }
            answer(ex, 200, "{\"access_token\":\"acs-token-1\",\"token_type\":\"bearer\",\"expires_in\":3600,"
                    + "\"scope\":\"https://purl.imsglobal.org/spec/lti-ap/scope/control.all\"}");
        });
        server.createContext("/acs", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (down) {
                answer(ex, 503, "Service Unavailable");
                return;
            }
            acsCalls.add(new Call(ex.getRequestHeaders().getFirst("Authorization"), body));
            answer(ex, 200, "{\"status\":\"terminated\"}");
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
