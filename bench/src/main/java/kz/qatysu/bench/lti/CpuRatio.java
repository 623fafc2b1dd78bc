package kz.qatysu.bench.lti;

import java.util.ArrayList;
import java.util.List;

/** CPU per launch (the tool's process plus its PostgreSQL backends) and the ltijs ÷ Qatysu ratio, per run and as a median. */
final class CpuRatio {
    private CpuRatio() {
    }

    /** Milliseconds of CPU per launch: the tool process and the PostgreSQL server, over the timed run's launches. */
    static double cpuPerLaunch(LtiLaunchBench.TokenRun r) {
        int n = Math.max(1, r.result().get("n").asInt());
        return (double) (r.toolCpuMs() + r.postgresCpuMs()) / n;
    }

    /** How many times less CPU per launch Qatysu used than ltijs (higher is better for Qatysu). */
    static double ratio(LtiLaunchBench.TokenRun ltijs, LtiLaunchBench.TokenRun qatysu) {
        return cpuPerLaunch(ltijs) / Math.max(1e-9, cpuPerLaunch(qatysu));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** For each concurrency: each run's CPU per launch of both tools and their ratio, then the medians. */
    static String medianReport(List<List<LtiLaunchBench.TokenRun>> runs) {
        StringBuilder b = new StringBuilder("\n### CPU per launch over ").append(runs.size())
                .append(" runs (tool + its PostgreSQL, ms; ratio = ltijs ÷ Qatysu)\n\n")
                .append("| concurrency | run | ltijs ms | Qatysu ms | ratio |\n|---:|---:|---:|---:|---:|\n");
        List<Integer> concurrencies = runs.getFirst().stream().map(LtiLaunchBench.TokenRun::concurrency).distinct().toList();
        for (int c : concurrencies) {
            List<Double> ratios = new ArrayList<>();
            List<Double> qatysu = new ArrayList<>();
            List<Double> ltijs = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                var q = find(runs.get(i), "qatysu", c);
                var l = find(runs.get(i), "ltijs", c);
                double qms = q == null ? Double.NaN : cpuPerLaunch(q);
                double lms = l == null ? Double.NaN : cpuPerLaunch(l);
                if (q != null) {
                    qatysu.add(qms);
                }
                if (l != null) {
                    ltijs.add(lms);
                }
                if (q != null && l != null) {
                    ratios.add(ratio(l, q));
                }
                b.append(String.format("| %d | %d | %s | %.2f | %s |%n", c, i + 1, l == null ? "–" : String.format("%.2f", lms), qms,
                        q != null && l != null ? String.format("%.1f×", ratio(l, q)) : "–"));
            }
            b.append(String.format("| %d | **median** | %s | **%.2f** | %s |%n", c, ltijs.isEmpty() ? "–" : String.format("%.2f", median(ltijs)),
                    median(qatysu), ratios.isEmpty() ? "–" : String.format("**%.1f×**", median(ratios))));
        }
        return b.toString();
    }

    private static LtiLaunchBench.TokenRun find(List<LtiLaunchBench.TokenRun> runs, String tool, int c) {
        return runs.stream().filter(r -> r.tool().equals(tool) && r.concurrency() == c).findFirst().orElse(null);
    }
}
