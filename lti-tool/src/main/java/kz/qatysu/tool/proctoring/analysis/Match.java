package kz.qatysu.tool.proctoring.analysis;

/**
 * Two faces compared: the same person when {@code distance < threshold}.
 *
 * @param distance  Euclidean distance of the descriptors (same person about 0.10–0.45, different 0.62–0.97)
 * @param same      {@code distance < threshold}
 * @param threshold {@code proctoring.matchThreshold}
 */
public record Match(double distance, boolean same, double threshold) {

    public static Match of(Descriptor a, Descriptor b, double threshold) {
        double d = a.distanceTo(b);
        return new Match(d, d < threshold, threshold);
    }
}
