package kz.qatysu.tool.proctoring.attempts;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An attempt's trust score from all its events, explained: 100 minus each event type's weight times its count, at
 * least 0, with each type's count and the points it took off (which events moved it). A pure function; a proctor's
 * verdict, not this number, decides.
 */
public record AttemptTrust(int score, List<Contribution> contributions) {

    public record Contribution(EventType type, int count, int points) {
    }

    public AttemptTrust {
        contributions = List.copyOf(contributions);
    }

    public static AttemptTrust of(Map<EventType, Integer> counts) {
        Map<EventType, Integer> ordered = new EnumMap<>(EventType.class);
        counts.forEach((t, n) -> {
            if (n < 0) {
                throw new IllegalArgumentException(t + " count " + n);
            }
            if (n > 0) {
                ordered.put(t, n);
            }
        });
        List<Contribution> out = ordered.entrySet().stream()
                .map(e -> new Contribution(e.getKey(), e.getValue(), (int) Math.min(Integer.MAX_VALUE,
                        (long) e.getValue() * e.getKey().weight())))
                .toList();
        long deducted = out.stream().mapToLong(Contribution::points).sum();
        return new AttemptTrust((int) Math.max(0, 100 - deducted), out);
    }

    /** The flag counts: event types that took points off (WARNING / VIOLATION), as the API's {@code flags} map. */
    public Map<String, Integer> flags() {
        Map<String, Integer> f = new java.util.LinkedHashMap<>();
        contributions.stream().filter(c -> c.type().severity() != EventType.Severity.INFO)
                .forEach(c -> f.put(c.type().name(), c.count()));
        return f;
    }
}
