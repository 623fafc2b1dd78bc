package kz.qatysu.connectors.http;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared HTTP base of every connector: Apache HttpClient 5 (classic) with connect and response timeouts,
 * a per-target {@link RateLimiter}, and retries with exponential backoff and jitter on timeouts, connection
 * failures, 5xx and 429 — where {@code Retry-After} is honoured (seconds or an HTTP date) and pauses the whole
 * target, not just the one request. Whether a request may be repeated after it may have reached the server is
 * the request's call ({@link HttpRequestSpec#idempotent()}).
 *
 * <p>Answers with any status are returned; only a request that got no usable answer after all attempts throws
 * {@link HttpFailure}. {@link #sendOk} additionally turns a non-2xx status into an {@link HttpFailure}.
 */
public final class HttpConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpConnector.class);

    private final HttpSettings settings;
    private final CloseableHttpClient client;
    private final RateLimiter limiter;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public HttpConnector(HttpSettings settings) {
        this.settings = settings;
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout response = Timeout.of(settings.responseTimeout());
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(response)
                        .setValidateAfterInactivity(Timeout.ofSeconds(2))
                        .build())
                .setMaxConnTotal(20)
                .setMaxConnPerRoute(10)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(connect)
                        .setResponseTimeout(response)
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("Qatysu-sync/0.1 (+https://github.com/qatysu)")
                .build();
        this.limiter = new RateLimiter(settings.requestsPerSecond());
    }

    public HttpSettings settings() {
        return settings;
    }

    public String name() {
        return settings.name();
    }

    /** Requests sent, each attempt counted. */
    public long requestCount() {
        return requests.get();
    }

    public long retryCount() {
        return retries.get();
    }

    public long failureCount() {
        return failures.get();
    }

    /** Sends {@code spec}, retrying as described above; returns the final answer whatever its status. */
    public HttpResult send(HttpRequestSpec spec) {
        URI uri = resolve(spec.path());
        int attempt = 0;
        while (true) {
            attempt++;
            HttpResult result;
            try {
                limiter.acquire();
                requests.incrementAndGet();
                result = execute(spec, uri);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpFailure(name(), HttpFailure.Kind.INTERRUPTED, 0, attempt, spec.description() + ": interrupted", e);
            } catch (IOException e) {
                boolean reachedServer = !(e instanceof ConnectException || e instanceof ConnectTimeoutException
                        || e instanceof HttpHostConnectException);
                HttpFailure.Kind kind = e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException
                        ? HttpFailure.Kind.TIMEOUT : reachedServer ? HttpFailure.Kind.IO : HttpFailure.Kind.CONNECT;
                String what = describe(e);
                if (attempt < settings.maxAttempts() && (spec.idempotent() || !reachedServer)) {
                    Duration delay = backoff(attempt);
                    log.warn("target={} request=\"{}\" attempt={} failure=\"{}\" retryIn={}ms",
                            name(), spec.description(), attempt, what, delay.toMillis());
                    retries.incrementAndGet();
                    sleep(delay, spec, attempt);
                    continue;
                }
                failures.incrementAndGet();
                String why = attempt < settings.maxAttempts()
                        ? " (not retried: the request may have reached the server and is not idempotent)" : "";
                throw new HttpFailure(name(), kind, 0, attempt,
                        spec.description() + " failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + what + why, e);
            }
            if (isRetryable(result.status(), spec.idempotent()) && attempt < settings.maxAttempts()) {
                Optional<Duration> retryAfter = retryAfter(result);
                if (retryAfter.isPresent() && retryAfter.get().compareTo(settings.maxRetryAfter()) > 0) {
                    failures.incrementAndGet();
                    throw new HttpFailure(name(), HttpFailure.Kind.STATUS, result.status(), attempt, spec.description()
                            + " answered " + result.status() + " with Retry-After " + retryAfter.get().toSeconds()
                            + " s, longer than the configured maximum of " + settings.maxRetryAfter().toSeconds() + " s", null);
                }
                int failedAttempt = attempt;
                Duration delay = retryAfter.orElseGet(() -> backoff(failedAttempt));
                retryAfter.ifPresent(limiter::pauseFor);
                log.warn("target={} request=\"{}\" attempt={} status={} retryIn={}ms{}", name(), spec.description(), attempt,
                        result.status(), delay.toMillis(), retryAfter.isPresent() ? " (Retry-After)" : "");
                retries.incrementAndGet();
                sleep(delay, spec, attempt);
                continue;
            }
            return result;
        }
    }

    /** Like {@link #send} but a final non-2xx status is a failure naming the status and the start of the body. */
    public HttpResult sendOk(HttpRequestSpec spec) {
        HttpResult result = send(spec);
        if (!result.isSuccess()) {
            failures.incrementAndGet();
            throw new HttpFailure(name(), HttpFailure.Kind.STATUS, result.status(), 1,
                    spec.description() + " answered HTTP " + result.status() + ": " + result.excerpt(300), null);
        }
        return result;
    }

    private static boolean isRetryable(int status, boolean idempotent) {
        if (status == 429 || status == 503) {
            return true; // refused before processing: safe even for a create
        }
        return idempotent && (status == 500 || status == 502 || status == 504);
    }

    private HttpResult execute(HttpRequestSpec spec, URI uri) throws IOException {
        var builder = ClassicRequestBuilder.create(spec.method()).setUri(uri);
        spec.headers().forEach(builder::addHeader);
        if (spec.body() != null) {
            builder.setEntity(new ByteArrayEntity(spec.body(), ContentType.parse(spec.contentType())));
        }
        return client.execute(builder.build(), response -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : response.getHeaders()) {
                headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
            }
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new HttpResult(response.getCode(), headers, body);
        });
    }

    URI resolve(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        String base = settings.baseUrl().toString();
        if (base.endsWith("/") && path.startsWith("/")) {
            return URI.create(base + path.substring(1));
        }
        if (!base.endsWith("/") && !path.startsWith("/") && !path.isEmpty()) {
            return URI.create(base + "/" + path);
        }
        return URI.create(base + path);
    }

    /** Exponential backoff with "equal jitter": half the step fixed, half random, so retries of many clients spread. */
    Duration backoff(int attempt) {
        long base = settings.initialBackoff().toMillis();
        long step = Math.min(settings.maxBackoff().toMillis(), base * (1L << Math.min(20, attempt - 1)));
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
    static Optional<Duration> retryAfter(HttpResult result) {
        return result.header("Retry-After").flatMap(v -> {
            String s = v.strip();
            if (s.matches("\\d{1,9}")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
            }
            try {
                ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    private void sleep(Duration delay, HttpRequestSpec spec, int attempt) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpFailure(name(), HttpFailure.Kind.INTERRUPTED, 0, attempt, spec.description() + ": interrupted while waiting to retry", e);
        }
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            log.debug("closing HTTP client of {}: {}", name(), e.getMessage());
        }
    }
}
