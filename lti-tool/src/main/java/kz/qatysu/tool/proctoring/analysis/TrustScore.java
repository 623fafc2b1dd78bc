package kz.qatysu.tool.proctoring.analysis;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An attempt's trust score from its face events, explained: 100 minus each event type's weight times its count, at
 * least 0, with the contribution of each type (which events moved it). A pure function; the proctor's verdict, not this
 * number, decides.
 *
 * @param score         0–100
 * @param contributions per event type that occurred: its count and the points it took off, in the enum's order
 */
public record TrustScore(int score, List<Contribution> contributions) {

    /** One event type's share of the deduction. */
    public record Contribution(FaceEvent event, int count, int points) {
    }

    public TrustScore {
        contributions = List.copyOf(contributions);
    }

    public static TrustScore of(Collection<FaceEvent> events) {
        Map<FaceEvent, Integer> counts = new EnumMap<>(FaceEvent.class);
        events.forEach(e -> counts.merge(e, 1, Integer::sum));
        List<Contribution> contributions = counts.entrySet().stream()
                .map(e -> new Contribution(e.getKey(), e.getValue(), e.getValue() * e.getKey().weight())).toList();
        int deducted = contributions.stream().mapToInt(Contribution::points).sum();
        return new TrustScore(Math.max(0, 100 - deducted), contributions);
    }
}
