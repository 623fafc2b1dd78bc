package kz.qatysu.connectors.qatysu;

import java.util.List;

/** The tool refused a request (400 with details, 401/403, 404): nothing of it was stored. */
public class ToolApiException extends RuntimeException {
    public record Detail(String path, String problem) {
    }

    private final int status;
    private final List<Detail> details;

    public ToolApiException(int status, String message, List<Detail> details) {
        super(message);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public int status() {
        return status;
    }

    public List<Detail> details() {
        return details;
    }
}
