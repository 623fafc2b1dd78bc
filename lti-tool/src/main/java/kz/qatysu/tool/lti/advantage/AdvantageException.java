package kz.qatysu.tool.lti.advantage;

import kz.qatysu.tool.lti.platforms.Platform;

import java.net.URI;

/**
 * A failed call to a platform's Advantage service (token endpoint, NRPS, AGS). The message names the platform,
 * the operation, the endpoint, the HTTP status and the platform's {@code error} (or Moodle's {@code reason})
 * value. It never carries the client assertion or an access token.
 */
public final class AdvantageException extends RuntimeException {
    private final long platformId;
    private final URI endpoint;
    private final int status;
    private final String error;

    AdvantageException(Platform platform, String operation, URI endpoint, int status, String error, String detail,
                       Throwable cause) {
        super(message(platform, operation, endpoint, status, error, detail), cause);
        this.platformId = platform.id();
        this.endpoint = endpoint;
        this.status = status;
        this.error = error;
    }

    /** The platform answered with an unexpected HTTP status. */
    static AdvantageException http(Platform platform, String operation, URI endpoint, int status, String error) {
        return new AdvantageException(platform, operation, endpoint, status, error, null, null);
    }

    /** The platform answered, but the answer cannot be used (not JSON, a required field missing, ...). */
    static AdvantageException badAnswer(Platform platform, String operation, URI endpoint, int status, String detail) {
        return new AdvantageException(platform, operation, endpoint, status, null, detail, null);
    }

    /** No answer: timeout, refused connection, interrupted. */
    static AdvantageException noAnswer(Platform platform, String operation, URI endpoint, String detail, Throwable cause) {
        return new AdvantageException(platform, operation, endpoint, 0, null, detail, cause);
    }

    /** The launch did not grant the scope the operation needs, so no token is requested at all. */
    static AdvantageException notGranted(Platform platform, String operation, URI endpoint, String scope) {
        return new AdvantageException(platform, operation, endpoint, 0, null,
                "the launch's service claim does not grant " + scope, null);
    }

    public long platformId() {
        return platformId;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The HTTP status the platform answered with; 0 when there was no answer (timeout, connection) or no request. */
    public int status() {
        return status;
    }

    /**
     * Whether the platform may have carried the request out although the tool did not see it succeed: no answer
     * after the request went out (a time-out, a dropped connection) or a 5xx (a proxy in front of the LMS gave up
     * while the LMS went on). A create must then be looked for before it is sent again.
     */
    public boolean outcomeUnknown() {
        return (status == 0 && getCause() != null) || status >= 500;
    }

    /** The platform's {@code error} value (e.g. {@code invalid_client}), or {@code null}. */
    public String error() {
        return error;
    }

    private static String message(Platform platform, String operation, URI endpoint, int status, String error,
                                  String detail) {
        StringBuilder sb = new StringBuilder()
                .append("platform ").append(platform.id())
                .append(" (").append(platform.name()).append(", ").append(platform.issuer()).append("): ")
                .append(operation).append(' ').append(endpoint);
        if (status > 0) {
            sb.append(" answered HTTP ").append(status);
        }
        if (error != null) {
            sb.append(", error \"").append(error).append('"');
        }
        if (detail != null) {
            sb.append(status > 0 || error != null ? ": " : " failed: ").append(detail);
        }
        return sb.toString();
    }
}
