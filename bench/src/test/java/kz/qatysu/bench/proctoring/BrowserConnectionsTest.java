package kz.qatysu.bench.proctoring;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The ingest bench's browser connections against a real Jetty (Javalin) on port 0: what a browser does, no more. */
class BrowserConnectionsTest {
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private Javalin server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private InetSocketAddress start() {
        server = Javalin.create(config -> {
            config.routes.before(ctx -> clientPorts.add(ctx.req().getRemotePort()));
            config.routes.post("/echo", ctx -> ctx.header("Retry-After", "1").status(429)
                    .result(ctx.header("X-Forwarded-For") + " " + ctx.body()));
            config.routes.get("/streamed", ctx -> ctx.result(new ByteArrayInputStream("x".repeat(100_000).getBytes(StandardCharsets.UTF_8))));
            config.routes.put("/slow", ctx -> {
                Thread.sleep(150);
                ctx.result(String.valueOf(ctx.bodyAsBytes().length));
            });
        }).start("127.0.0.1", 0);
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    }

    @Test
    void requests_one_after_another_reuse_one_kept_alive_connection_and_read_every_answer() throws Exception {
        BrowserConnections browser = new BrowserConnections(start(), 6);
        for (int i = 0; i < 20; i++) {
            BrowserConnections.Response r = browser.send("POST", "/echo", ("body " + i).getBytes(StandardCharsets.UTF_8),
                    "X-Forwarded-For", "10.0.0.7", "Content-Type", "text/plain");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.header("Retry-After")).contains("1");
            assertThat(r.body()).isEqualTo("10.0.0.7 body " + i);
        }
        BrowserConnections.Response streamed = browser.send("GET", "/streamed", null);
        assertThat(streamed.body()).hasSize(100_000);
        assertThat(clientPorts).hasSize(1);
        browser.close();
    }

    @Test
    void no_more_connections_than_a_browser_opens_and_the_rest_wait_for_one() throws Exception {
        BrowserConnections browser = new BrowserConnections(start(), 3);
        byte[] body = new byte[120 * 1024];
        List<Future<BrowserConnections.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> browser.send("PUT", "/slow", body, "Content-Type", "video/webm")));
            }
        }
        for (Future<BrowserConnections.Response> a : answers) {
            assertThat(a.get().body()).isEqualTo(String.valueOf(body.length));
        }
        assertThat(clientPorts).hasSizeBetween(1, 3);
        browser.close();
    }

    @Test
    void a_kept_connection_the_server_closed_meanwhile_is_replaced_and_the_request_sent_on_a_new_one() throws Exception {
        // a server that answers one request per connection with keep-alive and then closes it without saying so
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofVirtual().start(() -> {
                for (int n = 0; n < 2; n++) {
                    try (Socket s = listener.accept()) {
                        InputStream in = s.getInputStream();
                        StringBuilder head = new StringBuilder();
                        for (int c = in.read(); c != -1 && !head.append((char) c).toString().endsWith("\r\n\r\n"); c = in.read()) {
                            // the request head, up to the empty line
                        }
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            BrowserConnections browser = new BrowserConnections((InetSocketAddress) listener.getLocalSocketAddress(), 6);
            assertThat(browser.send("GET", "/a", null).body()).isEqualTo("ok");
            Thread.sleep(100);
            assertThat(browser.send("GET", "/b", null).body()).isEqualTo("ok");
            serving.join(5_000);
            browser.close();
        }
    }
}
