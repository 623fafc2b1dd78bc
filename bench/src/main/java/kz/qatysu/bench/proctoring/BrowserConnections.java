package kz.qatysu.bench.proctoring;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;

/**
 * One examinee's browser connections to the tool: HTTP/1.1 keep-alive over blocking sockets (meant for virtual
 * threads), at most {@code max} at once like a browser's 6 per host; a request waits for a free one. Its cost per
 * request does not grow with the number of examinees — each examinee holds its own few idle sockets — unlike the JDK
 * {@code HttpClient}, whose one shared pool keeps every idle connection of every examinee in one list (the bench's
 * hottest spot with 400 × 6 connections). Requests carry a {@code Content-Length}; answers are read by their
 * {@code Content-Length} or chunked; a reused connection the server closed meanwhile is replaced once, as browsers do.
 */
final class BrowserConnections {
    /** An answer: status, headers (names in lower case) and the body as text. */
    record Response(int statusCode, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final InetSocketAddress server;
    private final byte[] hostHeader;
    private final Semaphore slots;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();

    BrowserConnections(InetSocketAddress server, int max) {
        this.server = server;
        this.hostHeader = ("Host: " + server.getHostString() + ":" + server.getPort() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.slots = new Semaphore(max);
    }

    /**
     * Sends one request and reads its answer; waits for a free connection first (the wait counts in the caller's
     * latency). {@code headers} are name, value pairs.
     */
    Response send(String method, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        slots.acquire();
        try {
            Connection c = takeIdle();
            boolean reused = c != null;
            if (c == null) {
                c = open();
            }
            try {
                Response r = exchange(c, method, path, body, headers);
                keepOrClose(c, r);
                return r;
            } catch (StaleConnection stale) {
                c.close();
                if (!reused) {
                    throw stale;
                }
                // the server closed the idle connection before this request reached it: once more on a new one
                Connection fresh = open();
                try {
                    Response r = exchange(fresh, method, path, body, headers);
                    keepOrClose(fresh, r);
                    return r;
                } catch (IOException | RuntimeException ex) {
                    fresh.close();
                    throw ex;
                }
            } catch (IOException | RuntimeException ex) {
                c.close();
                throw ex;
            }
        } finally {
            slots.release();
        }
    }

    /** Closes the idle connections (the bench's end). */
    void close() {
        synchronized (idle) {
            idle.forEach(Connection::close);
            idle.clear();
        }
    }

    private Connection takeIdle() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    private void keepOrClose(Connection c, Response r) {
        if ("close".equalsIgnoreCase(r.headers().get("connection"))) {
            c.close();
        } else {
            synchronized (idle) {
                idle.addFirst(c);
            }
        }
    }

    private Connection open() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new Connection(s, new BufferedInputStream(s.getInputStream(), 8192), s.getOutputStream());
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private Response exchange(Connection c, String method, String path, byte[] body, String[] headers) throws IOException {
        byte[] payload = body == null ? new byte[0] : body;
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        head.writeBytes((method + " " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(hostHeader);
        head.writeBytes("User-Agent: qatysu-bench\r\n".getBytes(StandardCharsets.US_ASCII));
        if (payload.length > 0 || !method.equals("GET")) {
            head.writeBytes(("Content-Length: " + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.writeBytes((headers[i] + ": " + headers[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        String statusLine;
        try {
            // head and body in one write when small; a large body goes straight from its array
            if (payload.length <= 16 * 1024) {
                head.writeBytes(payload);
                c.out.write(head.toByteArray());
            } else {
                c.out.write(head.toByteArray());
                c.out.write(payload);
            }
            c.out.flush();
            statusLine = line(c.in);
        } catch (EOFException | java.net.SocketException e) {
            // nothing came back on a connection the server may have closed while it was idle
            throw new StaleConnection(e);
        }
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int code = Integer.parseInt(status[1]);
        Map<String, String> answerHeaders = new TreeMap<>();
        for (String h = line(c.in); !h.isEmpty(); h = line(c.in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                answerHeaders.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] answer;
        if (method.equals("HEAD") || code == 204 || code == 304 || code / 100 == 1) {
            answer = new byte[0];
        } else if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))) {
            answer = chunked(c.in);
        } else if (answerHeaders.containsKey("content-length")) {
            answer = c.in.readNBytes(Integer.parseInt(answerHeaders.get("content-length")));
        } else {
            answer = c.in.readAllBytes();
            answerHeaders.put("connection", "close");
        }
        return new Response(code, answerHeaders, new String(answer, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return b.toByteArray();
            }
            b.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    /** One CRLF-terminated line (without it); EOF before any byte is a closed connection. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = s.length();
                return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
            }
            s.append((char) c);
        }
        throw new EOFException(s.isEmpty() ? "connection closed" : "connection closed mid-line");
    }

    private record Connection(Socket socket, InputStream in, OutputStream out) {
        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** The server closed a kept-alive connection before answering (sent again once on a new connection). */
    private static final class StaleConnection extends IOException {
        StaleConnection(IOException cause) {
            super("connection closed by the server before an answer", cause);
        }
    }
}
