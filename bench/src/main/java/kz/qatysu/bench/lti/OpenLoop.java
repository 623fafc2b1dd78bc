package kz.qatysu.bench.lti;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An open-loop load: request {@code k} is due at {@code start + k / rate}, whatever happened to the others, with at
 * most {@code users} in flight (the simulated users; a late request waits for a free user). Each latency is counted
 * from the moment the request was due, so a server that falls behind shows it (no coordinated omission).
 */
final class OpenLoop {
    record Result(double offeredRate, int users, int completed, int failed, Map<String, Integer> failures, double seconds,
                  Latencies latency) {
        double achievedRate() {
            return completed / seconds;
        }
    }

    private OpenLoop() {
    }

    /** Runs {@code count} calls of {@code request} (index → throws on failure) at {@code rate} per second. */
    static Result run(int count, double rate, int users, Duration maxTime, IntFunction<Runnable> request) throws InterruptedException {
        long[] latency = new long[count];
        boolean[] done = new boolean[count];
        AtomicInteger failed = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Semaphore free = new Semaphore(users);
        long start = System.nanoTime() + 50_000_000L;
        long deadline = start + maxTime.toNanos();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < count; k++) {
                long due = start + (long) (k * 1e9 / rate);
                if (due > deadline) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                free.acquire();
                int i = k;
                pool.submit(() -> {
                    try {
                        request.apply(i).run();
                        latency[i] = System.nanoTime() - due;
                        done[i] = true;
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        failures.merge(String.valueOf(e.getMessage()), 1, Integer::sum);
                    } finally {
                        free.release();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] ok = java.util.stream.IntStream.range(0, count).filter(i -> done[i]).mapToLong(i -> latency[i]).toArray();
        return new Result(rate, users, ok.length, failed.get(), new TreeMap<>(failures), seconds, new Latencies(ok));
    }

    static String markdownRow(String what, Result r) {
        return String.format("| %s | %.0f | %.0f | %d | %d | %.1f | %.1f | %.1f |%n", what, r.offeredRate(), r.achievedRate(),
                r.completed(), r.failed(), r.latency().percentileMillis(0.5), r.latency().percentileMillis(0.95),
                r.latency().percentileMillis(0.99));
    }

    static String markdownHeader() {
        return "| run | offered launches/s | achieved | ok | failed | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    }

    static List<Double> rates(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(Double::parseDouble).toList();
    }
}
