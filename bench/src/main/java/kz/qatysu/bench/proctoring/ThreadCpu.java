package kz.qatysu.bench.proctoring;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The CPU time of this process's threads over the load, grouped by thread name with the numbers taken out
 * ({@code JettyServerThreadPool-2613} → {@code JettyServerThreadPool}), read from {@link ThreadMXBean} every second so
 * that threads which end meanwhile count up to their last sample. The load generator runs on virtual threads, whose
 * CPU is their carriers' ({@code ForkJoinPool-1-worker-N}): the tool itself starts no virtual threads on the ingest path,
 * so the carriers are the generator. What the samples miss (threads born and dead within a second) stays in the process
 * total and is charged to the tool, the conservative side.
 */
final class ThreadCpu implements Runnable {
    /** Carriers of virtual threads (the JDK's default scheduler), the bench's own threads and its JDK HttpClient's selector (the tool calls no outside system during the benches). */
    private static final Pattern GENERATOR = Pattern.compile("ForkJoinPool-\\d+-worker-\\d+|bench-.*|HttpClient-\\d+-SelectorManager|HttpClient-\\d+-Worker-\\d+");
    private static final Pattern NUMBERS = Pattern.compile("[-#]?\\d+");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** Per thread id: its name and CPU nanos at the first and the last sample. */
    private final Map<Long, long[]> cpu = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private volatile boolean stop;

    ThreadCpu() {
        threads.setThreadCpuTimeEnabled(true);
        sample(true);
    }

    static boolean generator(String threadName) {
        return GENERATOR.matcher(threadName).matches();
    }

    @Override
    public void run() {
        while (!stop) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sample(false);
        }
    }

    /** Takes the last sample and stops. */
    void finish() {
        stop = true;
        sample(false);
    }

    private synchronized void sample(boolean first) {
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long t = threads.getThreadCpuTime(ids[i]);
            if (t < 0 || infos[i] == null) {
                continue;
            }
            long[] seen = cpu.get(ids[i]);
            if (seen == null) {
                // a thread born after the start counts from zero
                cpu.put(ids[i], new long[]{first ? t : 0, t});
                names.put(ids[i], infos[i].getThreadName());
            } else {
                seen[1] = t;
            }
        }
    }

    /** CPU seconds per thread group (name without numbers), largest first. */
    synchronized Map<String, Double> byGroup() {
        Map<String, Double> sums = new TreeMap<>();
        cpu.forEach((id, c) -> sums.merge(NUMBERS.matcher(names.get(id)).replaceAll(""), (c[1] - c[0]) / 1e9, Double::sum));
        Map<String, Double> sorted = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** CPU seconds of the generator's threads (virtual-thread carriers and {@code bench-*}). */
    synchronized double generatorSeconds() {
        double sum = 0;
        for (Map.Entry<Long, long[]> e : cpu.entrySet()) {
            if (generator(names.get(e.getKey()))) {
                sum += (e.getValue()[1] - e.getValue()[0]) / 1e9;
            }
        }
        return sum;
    }

    /**
     * CPU seconds of the tool's threads: neither the generator's nor those whose name starts with {@code apart} (e.g.
     * the analysis worker, reported on its own).
     */
    synchronized double toolSecondsWithout(String apart) {
        double sum = 0;
        for (Map.Entry<Long, long[]> e : cpu.entrySet()) {
            String name = names.get(e.getKey());
            if (!generator(name) && !name.startsWith(apart)) {
                sum += (e.getValue()[1] - e.getValue()[0]) / 1e9;
            }
        }
        return sum;
    }

    /** How many distinct threads of each group were seen (a pool's churn: threads created and ended). */
    synchronized Map<String, Integer> threadsByGroup() {
        Map<String, Integer> n = new TreeMap<>();
        names.values().forEach(name -> n.merge(NUMBERS.matcher(name).replaceAll(""), 1, Integer::sum));
        return n;
    }

    /** The groups above {@code minSeconds} with their CPU and thread count, formatted for the summary. */
    String table(double minSeconds) {
        StringBuilder b = new StringBuilder();
        Map<String, Integer> count = threadsByGroup();
        byGroup().forEach((group, s) -> {
            if (s >= minSeconds) {
                b.append(String.format(Locale.ROOT, "%s%s %.1f s (%d threads)", b.isEmpty() ? "" : ", ", group, s,
                        count.getOrDefault(group, 0)));
            }
        });
        return b.toString();
    }
}
