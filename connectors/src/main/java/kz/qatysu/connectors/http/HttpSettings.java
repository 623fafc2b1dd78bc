package kz.qatysu.connectors.http;

import kz.qatysu.config.ConfigReader;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How one outside system is reached: its base URL, timeouts, retry budget and rate limit.
 *
 * @param name              the target's name in logs, errors and metrics ({@code moodle}, {@code openedx}, …)
 * @param baseUrl           every relative path is resolved against it
 * @param connectTimeout    TCP connect (and pool lease) timeout
 * @param responseTimeout   longest silence while waiting for response bytes
 * @param maxAttempts       attempts per request, the first one included
 * @param initialBackoff    delay before the second attempt; doubled each time, with jitter
 * @param maxBackoff        cap on one backoff delay
 * @param maxRetryAfter     a {@code Retry-After} longer than this fails the request instead of sleeping
 * @param requestsPerSecond the target's rate limit, 0 = none
 */
public record HttpSettings(String name, URI baseUrl, Duration connectTimeout, Duration responseTimeout, int maxAttempts,
                           Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, double requestsPerSecond) {

    public HttpSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(name + ": maxAttempts must be at least 1");
        }
    }

    /** Sensible defaults for a system reached over the internet: 5 s connect, 60 s response, 4 attempts, 10 req/s. */
    public static HttpSettings defaults(String name, URI baseUrl) {
        return new HttpSettings(name, baseUrl, Duration.ofSeconds(5), Duration.ofSeconds(60), 4,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(5), 10);
    }

    public HttpSettings withRetries(int attempts, Duration initial, Duration max) {
        return new HttpSettings(name, baseUrl, connectTimeout, responseTimeout, attempts, initial, max, maxRetryAfter, requestsPerSecond);
    }

    public HttpSettings withTimeouts(Duration connect, Duration response) {
        return new HttpSettings(name, baseUrl, connect, response, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, requestsPerSecond);
    }

    public HttpSettings withRateLimit(double perSecond) {
        return new HttpSettings(name, baseUrl, connectTimeout, responseTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, perSecond);
    }

    /**
     * Reads {@code <prefix>url} (required) and the optional tuning keys {@code connectTimeout}, {@code timeout},
     * {@code retries} (attempts after the first), {@code backoff}, {@code maxBackoff}, {@code maxRetryAfter},
     * {@code rateLimit} (requests per second) under {@code prefix}. Problems are recorded, never thrown.
     */
    public static HttpSettings read(ConfigReader r, String prefix, String name, boolean httpsRequired) {
        URI url = r.requiredUrl(prefix + "url", httpsRequired);
        return readTuning(r, prefix, name, url == null ? URI.create("http://invalid.invalid") : url);
    }

    public static HttpSettings readTuning(ConfigReader r, String prefix, String name, URI url) {
        HttpSettings d = defaults(name, url);
        return new HttpSettings(name, url,
                r.duration(prefix + "connectTimeout", d.connectTimeout()),
                r.duration(prefix + "timeout", d.responseTimeout()),
                r.integer(prefix + "retries", d.maxAttempts() - 1, 0, 20) + 1,
                r.duration(prefix + "backoff", d.initialBackoff()),
                r.duration(prefix + "maxBackoff", d.maxBackoff()),
                r.duration(prefix + "maxRetryAfter", d.maxRetryAfter()),
                r.decimal(prefix + "rateLimit", d.requestsPerSecond(), 0, 10_000));
    }
}
