package kz.qatysu.tool.api;

import java.util.List;

/**
 * An API request refused with a status and, for bad input, one detail per record and field:
 * {@code {"error": "...", "details": [{"path": "[2].lateMinutes", "problem": "required when status is LATE"}]}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final List<Detail> details;

    public ApiException(int status, String error, List<Detail> details) {
        super(error, null, false, false);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public ApiException(int status, String error) {
        this(status, error, List.of());
    }

    public static ApiException badRequest(String error, List<Detail> details) {
        return new ApiException(400, error, details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what);
    }

    public int status() {
        return status;
    }

    public List<Detail> details() {
        return details;
    }

    public record Detail(String path, String problem) {
    }
}
