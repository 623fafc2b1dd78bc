package kz.qatysu.tool.proctoring.analysis;

import kz.qatysu.config.ConfigReader;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The face analysis's configuration ({@code proctoring.*}), validated at start-up, the models' SHA-256 included.
 *
 * @param detector        the face detector model (YuNet ONNX) and its expected sha256
 * @param embedder        the face descriptor model (dlib ResNet ONNX) and its expected sha256
 * @param scoreThreshold  faces scoring below are not faces ({@code proctoring.detector.scoreThreshold})
 * @param nmsThreshold    overlapping boxes above this IoU are one face ({@code proctoring.detector.nmsThreshold})
 * @param topK            at most this many candidate boxes before NMS ({@code proctoring.detector.topK})
 * @param maxSide         pictures are downscaled to at most this many pixels on the long side before detection
 *                        ({@code proctoring.detector.maxSide}); boxes are reported in the original's pixels
 * @param matchThreshold  same person ⇔ descriptor distance below this ({@code proctoring.matchThreshold})
 * @param workers         analysis threads, each with its own detector and network ({@code proctoring.analysisWorkers})
 * @param queue           pictures waiting for a worker at most; more are refused as busy ({@code proctoring.analysisQueue})
 * @param lookingAwayYaw  a head turned more than this many degrees is looking away ({@code proctoring.lookingAwayYaw})
 * @param backgroundNice  the Linux nice value (0–19) of the workers that analyse monitoring snapshots, so the examinees'
 *                        requests come first when the cores are busy ({@code proctoring.analysisNice}, default 19);
 *                        pictures a person waits for (identity, the analysis API) have their own worker at normal priority
 */
public record AnalysisSettings(ModelFile detector, ModelFile embedder, double scoreThreshold, double nmsThreshold,
                               int topK, int maxSide, double matchThreshold, int workers, int queue, double lookingAwayYaw,
                               int backgroundNice) {

    public static final int DEFAULT_BACKGROUND_NICE = 19;

    /** The settings with the default {@code proctoring.analysisNice}. */
    public AnalysisSettings(ModelFile detector, ModelFile embedder, double scoreThreshold, double nmsThreshold,
                            int topK, int maxSide, double matchThreshold, int workers, int queue, double lookingAwayYaw) {
        this(detector, embedder, scoreThreshold, nmsThreshold, topK, maxSide, matchThreshold, workers, queue, lookingAwayYaw,
                DEFAULT_BACKGROUND_NICE);
    }

    public static final String DETECTOR_FILE = "face_detection_yunet_2023mar.onnx";
    public static final String DETECTOR_SHA256 = "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4";
    public static final String EMBEDDER_FILE = "dlib_resnet_faceapi.onnx";
    public static final String EMBEDDER_SHA256 = "ad7b23faf8ef16d3dc0adceab1e60e95acf90925078691422a6da4c49606a2c5";

    /** The settings with every default (the bundled models), as an unconfigured tool has them. */
    public static AnalysisSettings defaults() {
        return new AnalysisSettings(new ModelFile("proctoring.detector", Optional.empty(), DETECTOR_FILE, DETECTOR_SHA256),
                new ModelFile("proctoring.embedder", Optional.empty(), EMBEDDER_FILE, EMBEDDER_SHA256),
                0.8, 0.3, 50, 1280, 0.6, 1, 400, 30);
    }

    public static AnalysisSettings read(ConfigReader r) {
        Optional<Path> dir = r.optionalString("proctoring.modelsDir").map(Path::of);
        ModelFile detector = new ModelFile("proctoring.detector", dir, r.string("proctoring.detector.model", DETECTOR_FILE),
                r.string("proctoring.detector.sha256", DETECTOR_SHA256));
        ModelFile embedder = new ModelFile("proctoring.embedder", dir, r.string("proctoring.embedder.model", EMBEDDER_FILE),
                r.string("proctoring.embedder.sha256", EMBEDDER_SHA256));
        for (ModelFile m : new ModelFile[]{detector, embedder}) {
            m.problem().ifPresent(p -> r.problem(p.key(), p.problem()));
        }
        return new AnalysisSettings(detector, embedder,
                r.decimal("proctoring.detector.scoreThreshold", 0.8, 0.1, 1.0),
                r.decimal("proctoring.detector.nmsThreshold", 0.3, 0.05, 0.95),
                r.integer("proctoring.detector.topK", 50, 1, 5000),
                r.integer("proctoring.detector.maxSide", 1280, 160, 8192),
                r.decimal("proctoring.matchThreshold", 0.6, 0.05, 2.0),
                r.integer("proctoring.analysisWorkers", 1, 1, 64),
                r.integer("proctoring.analysisQueue", 400, 1, 100_000),
                r.decimal("proctoring.lookingAwayYaw", 30, 5, 85),
                r.integer("proctoring.analysisNice", DEFAULT_BACKGROUND_NICE, 0, 19));
    }
}
