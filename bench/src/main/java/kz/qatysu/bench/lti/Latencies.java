package kz.qatysu.bench.lti;

import java.util.Arrays;

/** Percentiles of recorded durations (nanoseconds in, milliseconds out), computed over every sample. */
final class Latencies {
    private final long[] sorted;

    Latencies(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(this.sorted);
    }

    int count() {
        return sorted.length;
    }

    double percentileMillis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
        return sorted[i] / 1e6;
    }

    double meanMillis() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(0) / 1e6;
    }

    String summary() {
        return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, mean %.1f ms", percentileMillis(0.5), percentileMillis(0.95),
                percentileMillis(0.99), meanMillis());
    }
}
