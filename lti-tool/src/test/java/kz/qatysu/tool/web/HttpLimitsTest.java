package kz.qatysu.tool.web;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client must not take the tool down: a bounded burst of slow uploads and slowloris connections on loopback
 * while /health, the API and the LTI login keep answering; compressed and oversized bodies are refused with a 4xx.
 */
class HttpLimitsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static DeansFixture f;
    static int port;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of(
                "QATYSU_HTTP_IDLE_TIMEOUT", "5s",
                "QATYSU_HTTP_REQUEST_HEADER_TIMEOUT", "3s",
                "QATYSU_HTTP_MIN_REQUEST_DATA_RATE", "2048"));
        port = URI.create(f.tool.baseUrl()).getPort();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** A raw connection and what the server did with it: the first line it answered, and when it closed it. */
    record Client(Socket socket, long openedNanos, StringBuilder answer, AtomicLong closedNanos) {
        String statusLine() {
            String a;
            synchronized (answer) {
                a = answer.toString();
            }
            int end = a.indexOf("\r\n");
            return end < 0 ? a : a.substring(0, end);
        }

        boolean closedWithin(Duration d) {
            return closedNanos.get() > 0 && closedNanos.get() - openedNanos <= d.toNanos();
        }
    }

    @Test
    void a_burst_of_trickled_uploads_and_slowloris_headers_is_cut_off_while_health_api_and_login_answer() throws Exception {
        DeansFixture.Launch student = f.student("P-1001", "5", "Әлия Нұрланқызы");
        String cookies = student.browser().cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
        String standing = "/api/v1/sections/" + DeansFixture.SECTION + "/standing";
        String login = "/lti/login?iss=https%3A%2F%2Funknown.example&login_hint=1&target_link_uri=x";
        timed("/health", null, 200); // warm: the first requests of a JVM are slow for reasons of their own
        timed(standing, RunningTool.ADMIN_TOKEN, 200);
        timed(login, null, -1);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<Client> uploads = new ArrayList<>();
        List<Client> slowloris = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                String head = "POST " + student.base() + "/excuses HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                        + "Content-Type: multipart/form-data; boundary=slow\r\nContent-Length: 1000000\r\nCookie: " + cookies + "\r\n\r\n"
                        + "--slow\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n";
                uploads.add(trickle(threads, head, "x".repeat(1024)));
            }
            for (int i = 0; i < 50; i++) {
                slowloris.add(trickle(threads, "GET /health HTTP/1.1\r\nHost: localhost\r\n", "X-Slow-" + i + ": 1\r\n"));
            }

            // while the burst is on, the health check, the API and the LTI login answer promptly
            List<Long> worst = new ArrayList<>();
            for (int second = 0; second < 12; second++) {
                worst.add(timed("/health", null, 200));
                worst.add(timed(standing, RunningTool.ADMIN_TOKEN, 200));
                worst.add(timed(login, null, -1));
                Thread.sleep(1000);
            }
            assertThat(worst).as("milliseconds per request during the burst").allSatisfy(ms -> assertThat(ms).isLessThan(2000));

            // every trickled upload was refused (429, over the session's 2 slots) or cut off (the body is too slow)
            assertThat(uploads).allSatisfy(c -> assertThat(c.closedWithin(Duration.ofSeconds(12)))
                    .as("upload connection closed by the server; answer: " + c.statusLine()).isTrue());
            long refused = uploads.stream().filter(c -> c.statusLine().contains(" 429")).count();
            assertThat(refused).as("uploads over the per-session cap").isGreaterThanOrEqualTo(58);
            assertThat(uploads.stream().filter(c -> c.statusLine().contains(" 429")).findFirst().orElseThrow().answer().toString())
                    .containsIgnoringCase("Retry-After: 10");
            // slowloris: headers never complete, closed after the request header timeout (3 s) without an answer
            assertThat(slowloris).allSatisfy(c -> assertThat(c.closedWithin(Duration.ofSeconds(8)))
                    .as("slowloris connection closed by the server").isTrue());
        } finally {
            for (Client c : uploads) {
                c.socket().close();
            }
            for (Client c : slowloris) {
                c.socket().close();
            }
            threads.shutdownNow();
            threads.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(timed("/health", null, 200)).isLessThan(2000);
    }

    @Test
    void a_compressed_body_is_415_and_nothing_is_stored() throws Exception {
        DeansFixture.Launch student = f.student("P-1002", "6", "Ерлан");
        long before = f.excuseCount();
        String page = student.browser().get(f.tool.baseUrl() + student.base() + "/excuses").body();
        String boundary = "gz";
        String form = "--gz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + DeansFixture.csrf(page)
                + "\r\n--gz\r\nContent-Disposition: form-data; name=\"dateFrom\"\r\n\r\n2026-09-09\r\n"
                + "--gz\r\nContent-Disposition: form-data; name=\"dateTo\"\r\n\r\n2026-09-09\r\n"
                + "--gz\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\nill\r\n--gz--\r\n";
        HttpResponse<String> multipart = HTTP.send(HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + student.base() + "/excuses"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Content-Encoding", "gzip")
                .header("Cookie", cookies(student))
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(form.getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(415);
        assertThat(multipart.body()).contains("Content-Encoding");

        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + "/api/v1/sections/GZ"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(gzip("{\"title\": \"Gz\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}"
                        .getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(415);
        assertThat(json.body()).contains("\"error\"");
        assertThat(f.excuseCount()).isEqualTo(before);
    }

    @Test
    void a_30_mb_chunked_upload_is_413_and_nothing_is_stored() throws Exception {
        DeansFixture.Launch student = f.student("P-1002", "6", "Ерлан");
        long before = f.excuseCount();
        HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + student.base() + "/excuses"))
                .header("Content-Type", "multipart/form-data; boundary=big").header("Cookie", cookies(student))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> big("--big\r\nContent-Disposition: form-data; name=\"document\"; "
                        + "filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(413);
        assertThat(f.excuseCount()).isEqualTo(before);

        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + "/api/v1/sections/BIG"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + RunningTool.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> big("{\"title\": \""))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(413);
        assertThat(f.api("GET", "/api/v1/sections/BIG/standing", null, RunningTool.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    }

    /** {@code prefix} followed by 30 MB of filler, without a Content-Length (the client sends it chunked). */
    private static InputStream big(String prefix) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        long total = head.length + 30L * 1024 * 1024;
        return new InputStream() {
            long sent;

            @Override
            public int read() {
                if (sent >= total) {
                    return -1;
                }
                return sent < head.length ? head[(int) sent++] : (sent++ % 64 == 63 ? '\n' : 'a');
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c < 0) {
                        return n == 0 ? -1 : n;
                    }
                    b[off + n++] = (byte) c;
                }
                return n;
            }
        };
    }

    /** Opens a connection, sends {@code head}, then {@code piece} every 2 s until the server closes it. */
    private static Client trickle(ExecutorService threads, String head, String piece) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        Client c = new Client(socket, System.nanoTime(), new StringBuilder(), new AtomicLong());
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.flush();
        threads.submit(() -> {
            try (InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (c.answer()) {
                        c.answer().append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (IOException closed) {
                // a reset is a close too
            }
            c.closedNanos().set(System.nanoTime());
            return null;
        });
        threads.submit(() -> {
            try {
                while (c.closedNanos().get() == 0) {
                    Thread.sleep(2000);
                    out.write(piece.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException | InterruptedException stopped) {
                // the server closed the connection, or the test is over
            }
            return null;
        });
        return c;
    }

    /** Milliseconds a GET took; fails unless it answered {@code status} ({@code -1}: any answer below 500). */
    private static long timed(String path, String token, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.tool.baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (status > 0) {
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(status);
        } else {
            assertThat(r.statusCode()).as(path + ": " + r.body()).isLessThan(500);
        }
        return ms;
    }

    private static String cookies(DeansFixture.Launch s) {
        return s.browser().cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }
}
