package kz.qatysu.connectors.qatysu;

import java.util.List;
import java.util.regex.Pattern;

/** The tool refused a request (400 with details, 401/403, 404): nothing of it was stored. */
public class ToolApiException extends RuntimeException {
    public record Detail(String path, String problem) {
        private static final Pattern INDEX = Pattern.compile("^\\[(\\d+)]\\.?(.*)$");

        /** The index of the record of a list body this detail names ({@code [2].points} → 2), or -1. */
        public int recordIndex() {
            var m = path == null ? null : INDEX.matcher(path);
            return m != null && m.matches() ? Integer.parseInt(m.group(1)) : -1;
        }

        /** The field inside the record ({@code [2].points} → {@code points}); the whole path when it names no record. */
        public String field() {
            var m = path == null ? null : INDEX.matcher(path);
            return m != null && m.matches() ? m.group(2) : path;
        }
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
