package kz.qatysu.sync.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A target for engine tests that keeps its records in memory and counts write calls. */
final class RecordingTarget implements SyncTarget {
    // synchronized: the runner may apply several batches at once (concurrency)
    final Map<String, Map<String, String>> records = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Boolean> suspended = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    final AtomicInteger writeCalls = new AtomicInteger();
    final AtomicInteger creates = new AtomicInteger();
    Set<String> rejects = Set.of();
    volatile int failAfterCalls = Integer.MAX_VALUE;
    volatile long pauseMillis;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final String name;
    private final int batchSize;

    RecordingTarget(String name, int batchSize) {
        this.name = name;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        synchronized (this) {
            if (writeCalls.get() >= failAfterCalls) {
                throw new kz.qatysu.connectors.http.HttpFailure(name, kz.qatysu.connectors.http.HttpFailure.Kind.CONNECT, 0, 4,
                        "connection refused", null);
            }
            writeCalls.incrementAndGet();
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
        List<Outcome> out = new ArrayList<>();
        for (Change c : batch) {
            if (rejects.contains(c.key())) {
                out.add(Outcome.failed(c.key(), "Email address already exists: " + c.key()));
                continue;
            }
            switch (action) {
                case CREATE -> {
                    // idempotent create: an existing record is adopted, as the real adapters look up before creating
                    if (!records.containsKey(c.key())) {
                        creates.incrementAndGet();
                    }
                    records.put(c.key(), c.desired().fields());
                    suspended.put(c.key(), false);
                }
                case UPDATE -> {
                    records.put(c.key(), c.desired().fields());
                    suspended.put(c.key(), false);
                }
                case SUSPEND -> suspended.put(c.key(), true);
                case NOOP -> throw new IllegalStateException("noops are never applied");
            }
            out.add(Outcome.ok(c.key(), "remote-" + c.key()));
        }
        return out;
    }
}
