package kz.qatysu.bench.faces;

import kz.qatysu.tool.proctoring.analysis.AnalysisSettings;
import kz.qatysu.tool.proctoring.analysis.FaceAnalysis;
import kz.qatysu.tool.proctoring.analysis.Faces;
import kz.qatysu.tool.proctoring.analysis.Photos;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Face analysis at full speed (a benchmark, not a test): JPEG decode + YuNet detection + 5-point alignment + dlib
 * descriptor of every face, on 640×480 webcam-sized frames made from the real test photographs (one face, two faces,
 * none), through {@link FaceAnalysis} with {@code threads} workers — the same code the tool runs. Reports frames/s
 * and the process's resident memory (VmRSS) every 1,000 frames, to show it stays flat.
 *
 * <p>Args: {@code [frames=10000] [threads=2]}. Bounded: exactly {@code frames} analyses, at most 2 × threads in flight.
 */
public final class FaceBenchmark {
    private FaceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        nu.pattern.OpenCV.loadLocally();
        List<byte[]> inputs = List.of(
                frame(Photos.ASTRONAUT), frame(Photos.GRACE_HOPPER), frame(Photos.CAMERAMAN),
                frame(Photos.ASTRONAUT, Photos.GRACE_HOPPER), frame(Photos.COFFEE));
        int[] expected = {1, 1, 1, 2, 0};
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings settings = new AnalysisSettings(d.detector(), d.embedder(), d.scoreThreshold(), d.nmsThreshold(),
                d.topK(), d.maxSide(), d.matchThreshold(), threads, 4 * threads, d.lookingAwayYaw());
        System.out.printf(Locale.ROOT, "face analysis benchmark: %d frames 640x480 JPEG (%s bytes), %d worker thread(s), "
                        + "%d cores, OpenCV %s, heap max %d MB%n", frames, inputs.stream().map(b -> String.valueOf(b.length)).toList(),
                threads, Runtime.getRuntime().availableProcessors(), Core.VERSION, Runtime.getRuntime().maxMemory() >> 20);
        try (FaceAnalysis analysis = new FaceAnalysis(settings)) {
            long t0 = System.nanoTime();
            analysis.warmUp();
            // every worker loads its engine, and a first pass checks the counts
            for (int i = 0; i < inputs.size() * threads; i++) {
                Faces f = analysis.analyse(inputs.get(i % inputs.size()));
                if (f.count() != expected[i % inputs.size()]) {
                    throw new IllegalStateException("frame " + i % inputs.size() + ": " + f.count() + " faces, expected "
                            + expected[i % inputs.size()]);
                }
            }
            System.out.printf(Locale.ROOT, "warm-up (native library, models, %d engine(s)): %.1f s, RSS %d MB%n", threads,
                    (System.nanoTime() - t0) / 1e9, rssMb());
            System.out.printf("%8s %10s %10s %8s%n", "frames", "frames/s", "ms/frame", "RSS MB");
            Semaphore inFlight = new Semaphore(2 * threads);
            AtomicInteger wrong = new AtomicInteger();
            AtomicLong faces = new AtomicLong();
            long start = System.nanoTime();
            long windowStart = start;
            List<long[]> rss = new ArrayList<>();
            for (int i = 1; i <= frames; i++) {
                int k = i % inputs.size();
                inFlight.acquire();
                CompletableFuture<Faces> f = analysis.submit(inputs.get(k), true);
                f.whenComplete((r, e) -> {
                    inFlight.release();
                    if (e != null || r.count() != expected[k]) {
                        wrong.incrementAndGet();
                    } else {
                        faces.addAndGet(r.count());
                    }
                });
                if (i % 1000 == 0) {
                    long now = System.nanoTime();
                    long mb = rssMb();
                    rss.add(new long[]{i, mb});
                    System.out.printf(Locale.ROOT, "%8d %10.1f %10.2f %8d%n", i, 1000 / ((now - windowStart) / 1e9),
                            (now - windowStart) / 1e6 / 1000 * threads, mb);
                    windowStart = now;
                }
            }
            inFlight.acquire(2 * threads);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "total: %d frames in %.1f s = %.1f frames/s (%.1f ms per frame per worker), "
                            + "%d faces described, %d wrong counts%n", frames, seconds, frames / seconds,
                    seconds * 1000 * threads / frames, faces.get(), wrong.get());
            if (rss.size() >= 2) {
                System.out.printf(Locale.ROOT, "RSS: %d MB after %d frames, %d MB after %d frames (%+d MB)%n", rss.get(0)[1],
                        rss.get(0)[0], rss.get(rss.size() - 1)[1], rss.get(rss.size() - 1)[0],
                        rss.get(rss.size() - 1)[1] - rss.get(0)[1]);
            }
            System.out.printf(Locale.ROOT, "at one snapshot per examinee every 10 s: %.0f examinees per analysis worker%n",
                    frames / seconds / threads * 10);
        }
    }

    /** The photographs scaled to fit 480 px high, side by side, centred on a grey 640×480 frame, as a JPEG (q 85). */
    public static byte[] frame(String... photos) {
        Mat canvas = new Mat(480, 640, CvType.CV_8UC3, new Scalar(110, 110, 110));
        try {
            int slot = 640 / photos.length;
            for (int i = 0; i < photos.length; i++) {
                MatOfByte in = new MatOfByte(Photos.bytes(photos[i]));
                Mat m = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_COLOR);
                in.release();
                double s = Math.min(slot / (double) m.cols(), 480.0 / m.rows());
                Mat scaled = new Mat();
                Imgproc.resize(m, scaled, new Size(Math.round(m.cols() * s), Math.round(m.rows() * s)), 0, 0, Imgproc.INTER_AREA);
                Mat target = canvas.submat(new Rect(i * slot + (slot - scaled.cols()) / 2, (480 - scaled.rows()) / 2,
                        scaled.cols(), scaled.rows()));
                scaled.copyTo(target);
                target.release();
                scaled.release();
                m.release();
            }
            MatOfByte out = new MatOfByte();
            MatOfInt q = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 85);
            Imgcodecs.imencode(".jpg", canvas, out, q);
            byte[] bytes = out.toArray();
            out.release();
            q.release();
            return bytes;
        } finally {
            canvas.release();
        }
    }

    static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
