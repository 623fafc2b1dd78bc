package kz.qatysu.tool.proctoring.media;

import kz.qatysu.tool.util.Tokens;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Media objects in an S3-compatible object store (one bucket, optional key prefix), so that several tool nodes share
 * them: a chunk uploaded to one node is read by another. Requests are signed with AWS Signature Version 4 (header
 * signing, the payload's SHA-256 signed too). A put spools the encrypted object to a local file first — S3 wants the
 * length and hash before the body — and sends it in one {@code PutObject}: S3 makes an object visible only once it
 * is complete, so a failed put leaves nothing (the same all-or-nothing contract as the folder store). Idempotent
 * requests are retried on 5xx and lost connections. One {@code PutObject} holds at most 5 GiB; a recording's
 * playable copy is the only object that could grow near that (a 3-hour exam at 1 Mbit/s is ≈ 1.4 GB).
 */
public final class S3MediaStore implements MediaStore {
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int TRIES = 3;
    private static final long MAX_OBJECT = 5L * 1024 * 1024 * 1024;

    private final S3Settings settings;
    private final Path spool;
    private final HttpClient http;
    private final Clock clock;
    private final int pageSize;

    public S3MediaStore(S3Settings settings, Path spool) {
        this(settings, spool, Clock.systemUTC(), 1000);
    }

    /** {@code pageSize}: keys per ListObjectsV2 page (S3's maximum is 1000; tests page with fewer). */
    S3MediaStore(S3Settings settings, Path spool, Clock clock, int pageSize) {
        this.settings = settings;
        this.spool = spool;
        this.clock = clock;
        this.pageSize = pageSize;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public long put(String key, Content content) {
        MediaStore.checkKey(key);
        Path file = null;
        try {
            Files.createDirectories(spool);
            file = Files.createTempFile(spool, "put-", ".part");
            MessageDigest sha = sha256();
            long size;
            try (CountingDigestStream out = new CountingDigestStream(
                    new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024), sha)) {
                content.writeTo(out);
                size = out.count;
            }
            if (size > MAX_OBJECT) {
                throw new IOException("the object " + key + " has " + size + " bytes; one S3 PutObject takes at most 5 GiB");
            }
            String payloadHash = HEX.formatHex(sha.digest());
            Path body = file;
            Response r = send("PUT", key, Map.of(), payloadHash, () -> HttpRequest.BodyPublishers.ofFile(body), "PutObject");
            if (r.status() != 200) {
                throw failure("PutObject", key, r);
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the media object " + key + " in " + where(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the spool is ours; a leftover part file holds ciphertext only
                }
            }
        }
    }

    @Override
    public Optional<InputStream> get(String key) {
        MediaStore.checkKey(key);
        try {
            HttpResponse<InputStream> r = exchange("GET", objectUri(key, Map.of()), EMPTY_SHA256,
                    HttpRequest.BodyPublishers.noBody(), HttpResponse.BodyHandlers.ofInputStream(), "GetObject");
            if (r.statusCode() == 404) {
                r.body().close();
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                byte[] body;
                try (InputStream in = r.body()) {
                    body = in.readNBytes(64 * 1024);
                }
                throw failure("GetObject", key, new Response(r.statusCode(), body));
            }
            return Optional.of(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the media object " + key + " from " + where(), e);
        }
    }

    @Override
    public boolean delete(String key) {
        MediaStore.checkKey(key);
        try {
            // DeleteObject answers 204 whether or not the object was there: HeadObject says which
            Response head = send("HEAD", key, Map.of(), EMPTY_SHA256, HttpRequest.BodyPublishers::noBody, "HeadObject");
            if (head.status() == 404) {
                return false;
            }
            if (head.status() != 200) {
                throw failure("HeadObject", key, head);
            }
            Response r = send("DELETE", key, Map.of(), EMPTY_SHA256, HttpRequest.BodyPublishers::noBody, "DeleteObject");
            if (r.status() != 204 && r.status() != 200) {
                throw failure("DeleteObject", key, r);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the media object " + key + " in " + where(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        try {
            do {
                Map<String, String> query = new TreeMap<>();
                query.put("list-type", "2");
                query.put("max-keys", String.valueOf(pageSize));
                query.put("prefix", settings.prefix() + prefix);
                if (token != null) {
                    query.put("continuation-token", token);
                }
                Response r = sendTo(bucketUri(query), "GET", EMPTY_SHA256, HttpRequest.BodyPublishers::noBody, "ListObjectsV2");
                if (r.status() != 200) {
                    throw failure("ListObjectsV2", prefix, r);
                }
                Document page = xml(r.body());
                NodeList contents = page.getElementsByTagName("Contents");
                for (int i = 0; i < contents.getLength(); i++) {
                    String full = text((Element) contents.item(i), "Key");
                    if (full != null && full.startsWith(settings.prefix())) {
                        keys.add(full.substring(settings.prefix().length()));
                    }
                }
                token = "true".equals(text(page.getDocumentElement(), "IsTruncated"))
                        ? text(page.getDocumentElement(), "NextContinuationToken") : null;
            } while (token != null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the media objects under '" + prefix + "' in " + where(), e);
        }
        keys.sort(null);
        return keys;
    }

    /** "the object store https://… bucket b" — for messages; never the credentials. */
    String where() {
        return "the object store " + settings.endpoint() + " bucket " + settings.bucket();
    }

    // ---------------------------------------------------------------- HTTP and signing

    private record Response(int status, byte[] body) {
    }

    private interface Body {
        HttpRequest.BodyPublisher publisher() throws IOException;
    }

    private Response send(String method, String key, Map<String, String> query, String payloadHash, Body body, String action)
            throws IOException {
        return sendTo(objectUri(key, query), method, payloadHash, body, action);
    }

    /** Sends with retries on 5xx and lost connections (every request here is idempotent). */
    private Response sendTo(URI uri, String method, String payloadHash, Body body, String action) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            try {
                HttpResponse<byte[]> r = exchange(method, uri, payloadHash, body.publisher(),
                        HttpResponse.BodyHandlers.ofByteArray(), action);
                if (r.statusCode() < 500 || attempt == TRIES) {
                    return new Response(r.statusCode(), r.body());
                }
            } catch (IOException e) {
                last = e;
            }
            pause(attempt);
        }
        throw last;
    }

    private <T> HttpResponse<T> exchange(String method, URI uri, String payloadHash, HttpRequest.BodyPublisher body,
                                         HttpResponse.BodyHandler<T> handler, String action) throws IOException {
        String amzDate = AMZ_DATE.format(clock.instant());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("x-amz-date", amzDate)
                .header("x-amz-content-sha256", payloadHash)
                .header("Authorization", authorization(method, uri, amzDate, payloadHash))
                .method(method, body);
        try {
            return http.send(b.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(action + " interrupted", e);
        }
    }

    /** AWS Signature Version 4, header form: the canonical request, the string to sign, the derived key. */
    String authorization(String method, URI uri, String amzDate, String payloadHash) {
        String date = amzDate.substring(0, 8);
        String host = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        String signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        String canonicalRequest = method + "\n"
                + uri.getRawPath() + "\n"
                + (uri.getRawQuery() == null ? "" : uri.getRawQuery()) + "\n"
                + "host:" + host + "\n"
                + "x-amz-content-sha256:" + payloadHash + "\n"
                + "x-amz-date:" + amzDate + "\n"
                + "\n"
                + signedHeaders + "\n"
                + payloadHash;
        String scope = date + "/" + settings.region() + "/s3/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256().digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + settings.secretKey().reveal()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, settings.region());
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));
        return "AWS4-HMAC-SHA256 Credential=" + settings.accessKey() + "/" + scope + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + signature;
    }

    private URI objectUri(String key, Map<String, String> query) {
        return uri("/" + encodePath(settings.prefix() + key), query);
    }

    private URI bucketUri(Map<String, String> query) {
        return uri("/", query);
    }

    /** Path-style {@code endpoint/bucket/path} or virtual-host {@code bucket.endpoint/path}; the query sorted and encoded as SigV4 wants it. */
    private URI uri(String path, Map<String, String> query) {
        URI e = settings.endpoint();
        String base = e.getRawPath() == null || e.getRawPath().equals("/") ? "" : e.getRawPath().replaceAll("/+$", "");
        String host = settings.pathStyle() ? e.getHost() : settings.bucket() + "." + e.getHost();
        String fullPath = base + (settings.pathStyle() ? "/" + settings.bucket() + path : path);
        StringBuilder q = new StringBuilder();
        new TreeMap<>(query).forEach((k, v) -> q.append(q.isEmpty() ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        return URI.create(e.getScheme() + "://" + host + (e.getPort() == -1 ? "" : ":" + e.getPort()) + fullPath
                + (q.isEmpty() ? "" : "?" + q));
    }

    /** RFC 3986 percent-encoding as SigV4 specifies it: unreserved characters stay, everything else %XX. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            out.append(out.isEmpty() ? "" : "/").append(encode(segment));
        }
        return out.toString();
    }

    private IOException failure(String action, String key, Response r) {
        String code = "";
        String message = "";
        if (r.body() != null && r.body().length > 0) {
            try {
                Document d = xml(r.body());
                code = Optional.ofNullable(text(d.getDocumentElement(), "Code")).orElse("");
                message = Optional.ofNullable(text(d.getDocumentElement(), "Message")).orElse("");
            } catch (IOException notXml) {
                message = new String(r.body(), 0, Math.min(r.body().length, 200), StandardCharsets.UTF_8);
            }
        }
        return new IOException(action + " of '" + key + "' answered HTTP " + r.status()
                + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message));
    }

    private static Document xml(byte[] body) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("the object store's answer is not the XML S3 sends: " + e.getMessage(), e);
        }
    }

    private static String text(Element parent, String child) {
        NodeList n = parent.getElementsByTagName(child);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    private static byte[] hmac(byte[] key, String data) {
        return Tokens.hmacSha256(key, data.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep(200L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** Counts and hashes what passes through, into the spool file. */
    private static final class CountingDigestStream extends FilterOutputStream {
        private final MessageDigest digest;
        long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }
    }
}
