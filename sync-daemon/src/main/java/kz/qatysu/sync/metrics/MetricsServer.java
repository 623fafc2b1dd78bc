package kz.qatysu.sync.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The daemon's HTTP endpoint on the JDK's own HTTP server (nothing shared with the tool's Jetty): {@code GET /metrics}
 * for Prometheus, {@code GET /health} (the process answers) and {@code GET /ready} (200 or 503 with each component's
 * status: database, migrations, scheduler). It has no authentication, so it listens on the configured address only
 * ({@code sync.metrics.bind}, loopback by default).
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    public MetricsServer(SyncMetrics metrics, Supplier<Map<String, String>> readiness, String bindAddress, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 0);
        server.createContext("/metrics", exchange -> send(exchange, 200, metrics.contentType(), metrics.render()));
        server.createContext("/health", exchange -> send(exchange, 200, "application/json", "{\"status\":\"ok\"}"));
        server.createContext("/ready", exchange -> {
            Map<String, String> components = readiness.get();
            boolean ready = components.values().stream().allMatch("up"::equals);
            String body = "{\"status\":\"" + (ready ? "ready" : "not ready") + "\",\"components\":{" + components.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"").collect(Collectors.joining(",")) + "}}";
            send(exchange, ready ? 200 : 503, "application/json", body);
        });
        // a few threads: an admin page's dry run (sync.admin.token) must not hold up a Prometheus scrape
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sync-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(405, -1);
            exchange.close();
            return;
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Serves {@code path} and below with {@code handler} as well (the admin pages). */
    public void mount(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The address and port actually listened on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
