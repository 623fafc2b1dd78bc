package kz.qatysu.tool.api;

/**
 * What an API token may do. The administrator token (configuration {@code admin.token}) holds all of them;
 * tokens issued by an administrator hold the ones they were given (e.g. the sync daemon: SYNC + STANDING_READ).
 */
public enum Scope {
    /** Platform registrations, keys, tokens, dynamic registration codes. */
    ADMIN("admin"),
    /** Sections, enrolments, timetables and marks pushed by the sync daemon. */
    SYNC("sync"),
    /** Standing and the change feed. */
    STANDING_READ("standing:read"),
    /** Dean's-office overrides of a lock. */
    OVERRIDES("overrides"),
    /**
     * Proctoring review: read attempts and their events, give verdicts. A token issued for a person sees only the
     * exams that person is assigned to proctor; one without a person (an integration) sees all.
     */
    PROCTOR("proctor"),
    /** Read the Prometheus metrics ({@code GET /metrics}) and nothing else: Prometheus's scrape token. */
    METRICS("metrics");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Scope fromWire(String s) {
        for (Scope scope : values()) {
            if (scope.wire.equals(s)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + s + "' (known: " + java.util.Arrays.stream(values())
                .map(Scope::wire).collect(java.util.stream.Collectors.joining(", ")) + ")");
    }
}
