package kz.qatysu.tool.proctoring.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The distances between face descriptors of consented photographs, one group per person: every pair of one person's
 * photographs is a "same" pair, every pair of two people's a "different" pair. A pure function; the threshold it
 * suggests is the midpoint of the gap between the two distributions when they do not overlap, else the distance with
 * the fewest wrong decisions.
 *
 * @param same      distances of same-person pairs
 * @param different distances of different-person pairs
 * @param suggested the suggested {@code proctoring.matchThreshold} (NaN when either kind of pair is missing)
 * @param current   the configured threshold
 * @param errors    wrong decisions at the suggested threshold: same-person pairs refused and different-person pairs accepted
 * @param currentErrors the same at the configured threshold
 */
public record Calibration(Distribution same, Distribution different, double suggested, double current, Errors errors,
                          Errors currentErrors) {

    /** Wrong decisions at a threshold. */
    public record Errors(int sameRefused, int differentAccepted) {
    }

    /** A sorted list of distances with its summary. */
    public record Distribution(double[] sorted) {
        public Distribution {
            sorted = sorted.clone();
            Arrays.sort(sorted);
        }

        public int count() {
            return sorted.length;
        }

        public double min() {
            return sorted.length == 0 ? Double.NaN : sorted[0];
        }

        public double max() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
        }

        /** The p-th percentile (0–100), nearest rank. */
        public double percentile(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
        }
    }

    /** True when some same-person pair is further apart than some different-person pair. */
    public boolean overlap() {
        return same.count() > 0 && different.count() > 0 && same.max() >= different.min();
    }

    public static Calibration of(Map<String, List<Descriptor>> byPerson, double current) {
        List<Double> same = new ArrayList<>();
        List<Double> different = new ArrayList<>();
        List<Map.Entry<String, List<Descriptor>>> people = new ArrayList<>(byPerson.entrySet());
        for (int p = 0; p < people.size(); p++) {
            List<Descriptor> mine = people.get(p).getValue();
            for (int i = 0; i < mine.size(); i++) {
                for (int j = i + 1; j < mine.size(); j++) {
                    same.add(mine.get(i).distanceTo(mine.get(j)));
                }
                for (int q = p + 1; q < people.size(); q++) {
                    for (Descriptor theirs : people.get(q).getValue()) {
                        different.add(mine.get(i).distanceTo(theirs));
                    }
                }
            }
        }
        Distribution s = new Distribution(same.stream().mapToDouble(Double::doubleValue).toArray());
        Distribution d = new Distribution(different.stream().mapToDouble(Double::doubleValue).toArray());
        double suggested = suggest(s, d);
        return new Calibration(s, d, suggested, current, errors(s, d, suggested), errors(s, d, current));
    }

    private static double suggest(Distribution same, Distribution different) {
        if (same.count() == 0 || different.count() == 0) {
            return Double.NaN;
        }
        if (same.max() < different.min()) {
            return (same.max() + different.min()) / 2;
        }
        // overlapping: try every observed distance as the cut, keep the one with the fewest errors
        // (ties: the lowest, so a stranger is accepted less often)
        double best = Double.NaN;
        int fewest = Integer.MAX_VALUE;
        for (double[] values : new double[][]{same.sorted(), different.sorted()}) {
            for (double v : values) {
                for (double cut : new double[]{v, Math.nextUp(v)}) {
                    Errors e = errors(same, different, cut);
                    int n = e.sameRefused() + e.differentAccepted();
                    if (n < fewest || n == fewest && cut < best) {
                        fewest = n;
                        best = cut;
                    }
                }
            }
        }
        return best;
    }

    /** Same person ⇔ distance &lt; threshold, as {@link Match} decides. */
    static Errors errors(Distribution same, Distribution different, double threshold) {
        if (Double.isNaN(threshold)) {
            return new Errors(0, 0);
        }
        int refused = (int) Arrays.stream(same.sorted()).filter(v -> v >= threshold).count();
        int accepted = (int) Arrays.stream(different.sorted()).filter(v -> v < threshold).count();
        return new Errors(refused, accepted);
    }
}
