package kz.qatysu.tool.proctoring.analysis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's face analysis: what a picture shows (how many faces, where, how confidently, which way the head is
 * turned) and whose face it is (a descriptor to {@link #compare}). Thread-safe, in two lanes, each thread owning its
 * own detector and network:
 * <ul>
 *   <li><b>background</b> ({@link #submit}): monitoring snapshots, on a bounded pool of
 *   {@code proctoring.analysisWorkers} threads at a lower CPU priority ({@code proctoring.analysisNice}) behind a queue
 *   of at most {@code proctoring.analysisQueue} pictures — the examinees' requests come first, the backlog waits;</li>
 *   <li><b>waited for</b> ({@link #analyse}, {@link #detect}, {@link #submitWaitedFor}): pictures a person is waiting
 *   on (the identity check, the analysis API), on one worker of their own at normal priority, so a backlog of
 *   snapshots never delays them.</li>
 * </ul>
 * A picture that finds its lane's queue full is refused with {@link Busy} rather than waiting without bound. OpenCV
 * and the models are loaded by the first analysis, or earlier by the app when a proctored exam is open or opens
 * within the hour ({@link #warmUpInBackground}).
 *
 * <pre>{@code
 * Faces snapshot = analysis.analyse(jpeg);              // count, boxes, landmarks, scores, yaw, descriptors
 * Match m = analysis.compare(identity, snapshot.largest().orElseThrow().requireDescriptor());
 * boolean away = analysis.lookingAway(snapshot.faces().get(0));
 * }</pre>
 */
public final class FaceAnalysis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaceAnalysis.class);

    /** Pictures a person waits for, queued at most (a burst of identity checks at an exam's start). */
    static final int WAITED_FOR_QUEUE = 64;

    private final AnalysisSettings settings;
    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor waitedFor;
    private final ThreadLocal<FaceEngine> engine;
    private volatile ModelBytes models;
    private final AtomicBoolean warming = new AtomicBoolean();

    /** The analysis is refused because {@code proctoring.analysisQueue} pictures already wait. */
    public static final class Busy extends RuntimeException {
        Busy(int queued) {
            super("the face analysis is busy: " + queued + " picture(s) already wait", null, false, false);
        }
    }

    private record ModelBytes(byte[] detector, byte[] embedder) {
    }

    public FaceAnalysis(AnalysisSettings settings) {
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        AtomicBoolean told = new AtomicBoolean();
        this.pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queue()), r -> {
            Thread t = new Thread(() -> {
                Optional<String> problem = WorkerPriority.lowerCurrentThread(settings.backgroundNice());
                if (told.compareAndSet(false, true)) {
                    problem.ifPresentOrElse(
                            p -> log.warn("face analysis: the background workers run at normal priority ({}); the examinees' "
                                    + "requests then compete with the snapshot analysis for the cores", p),
                            () -> log.info("face analysis: background workers at nice {}{} (proctoring.analysisNice)",
                                    settings.backgroundNice(), settings.backgroundNice() >= WorkerPriority.MAX_NICE ? ", SCHED_IDLE" : ""));
                }
                r.run();
            }, "qatysu-face-analysis-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.waitedFor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WAITED_FOR_QUEUE), r -> {
            Thread t = new Thread(r, "qatysu-face-waited-for");
            t.setDaemon(true);
            return t;
        });
        // each worker thread's own engine, dropped with the thread when the pool stops
        this.engine = ThreadLocal.withInitial(() -> new FaceEngine(settings, models().detector(), models().embedder()));
    }

    public AnalysisSettings settings() {
        return settings;
    }

    /** Faces with their descriptors (detect + align + embed), on the waited-for lane. */
    public Faces analyse(byte[] jpegOrPng) {
        return await(submitWaitedFor(jpegOrPng, true));
    }

    /** Faces without descriptors (detection only: enough to count them and to see where the head is turned). */
    public Faces detect(byte[] jpegOrPng) {
        return await(submitWaitedFor(jpegOrPng, false));
    }

    /**
     * Queues a monitoring picture for a background worker: the future completes with its faces, or with
     * {@link UnreadableImage}; {@link Busy} is thrown at once when {@code proctoring.analysisQueue} pictures wait.
     */
    public CompletableFuture<Faces> submit(byte[] jpegOrPng, boolean describe) {
        return submit(pool, jpegOrPng, describe);
    }

    /** Queues a picture a person is waiting for on its own worker at normal priority, ahead of any snapshot backlog. */
    public CompletableFuture<Faces> submitWaitedFor(byte[] jpegOrPng, boolean describe) {
        return submit(waitedFor, jpegOrPng, describe);
    }

    private CompletableFuture<Faces> submit(ThreadPoolExecutor lane, byte[] jpegOrPng, boolean describe) {
        try {
            return CompletableFuture.supplyAsync(() -> engine.get().analyse(jpegOrPng, describe), lane);
        } catch (RejectedExecutionException e) {
            throw new Busy(lane.getQueue().size());
        }
    }

    /** The face's descriptor; the same as {@code face.requireDescriptor()}, for faces from {@link #analyse}. */
    public Descriptor embed(Face face) {
        return face.requireDescriptor();
    }

    /** Same person or not, by {@code proctoring.matchThreshold}. */
    public Match compare(Descriptor a, Descriptor b) {
        return Match.of(a, b, settings.matchThreshold());
    }

    /** The largest faces of two pictures compared; empty when either has no face (or no descriptor). */
    public Optional<Match> compareLargest(Faces a, Faces b) {
        Optional<Descriptor> da = a.largest().flatMap(Face::descriptor);
        Optional<Descriptor> db = b.largest().flatMap(Face::descriptor);
        return da.isPresent() && db.isPresent() ? Optional.of(compare(da.get(), db.get())) : Optional.empty();
    }

    /** The head turned more than {@code proctoring.lookingAwayYaw} degrees. */
    public boolean lookingAway(Face face) {
        return HeadPose.lookingAway(face, settings.lookingAwayYaw());
    }

    /** Monitoring pictures waiting for a background worker now. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** Loads OpenCV and the models now (the first analysis would otherwise); returns OpenCV's version. */
    public String warmUp() {
        try {
            CompletableFuture.allOf(CompletableFuture.runAsync(engine::get, waitedFor),
                    CompletableFuture.runAsync(engine::get, pool)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the face analysis", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return OpenCvLibrary.version();
    }

    /** Whether the models are loaded (the ready check's {@code faceModels}). */
    public boolean loaded() {
        return models != null;
    }

    /** Starts loading OpenCV and the models on a worker unless already started; returns at once. */
    public void warmUpInBackground() {
        if (warming.compareAndSet(false, true)) {
            try {
                CompletableFuture.allOf(CompletableFuture.runAsync(engine::get, waitedFor),
                        CompletableFuture.runAsync(engine::get, pool)).whenComplete((ok, e) -> {
                    if (e != null) {
                        warming.set(false);
                        log.warn("face analysis: loading the models failed: {}", e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                warming.set(false); // the queue is full or the pool stopped: the next probe tries again
            }
        }
    }

    private ModelBytes models() {
        ModelBytes m = models;
        if (m == null) {
            synchronized (this) {
                if (models == null) {
                    models = new ModelBytes(settings.detector().read(), settings.embedder().read());
                    log.info("face analysis: {} and {} loaded (sha256 verified), {} worker(s), queue {}",
                            settings.detector().location(), settings.embedder().location(), settings.workers(), settings.queue());
                }
                m = models;
            }
        }
        return m;
    }

    private static Faces await(CompletableFuture<Faces> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the face analysis", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the face analysis failed: " + cause, cause);
        }
    }

    /** Stops the workers (queued pictures are dropped) and drops their engines. */
    @Override
    public void close() {
        pool.shutdownNow();
        waitedFor.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
            waitedFor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
