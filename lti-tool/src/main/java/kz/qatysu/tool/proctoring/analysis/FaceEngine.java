package kz.qatysu.tool.proctoring.analysis;

import org.opencv.calib3d.Calib3d;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.FaceDetectorYN;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One worker's detector and network. Not thread-safe (OpenCV's nets keep per-call state): each analysis thread owns
 * one. Every native {@link Mat} made per picture is released before returning — the garbage collector sees only their
 * small Java handles, so native memory would grow outside the heap otherwise. The detector and the network have no
 * {@code release()} in OpenCV's Java API: their native objects are freed with them, when the engine is dropped.
 */
final class FaceEngine {
    /** dlib's 5-point mean-face template (padding 0.25) in a 150×150 chip, in YuNet's landmark order. */
    private static final double[][] TEMPLATE = {
            {47.549, 46.599}, {100.476, 46.599}, {74.013, 76.5625}, {50.415, 103.023}, {97.610, 103.023}};
    private static final int CHIP = 150;
    private static final double TEMPLATE_EYES = TEMPLATE[1][0] - TEMPLATE[0][0];
    private static final Scalar MEAN_RGB = new Scalar(122.782, 117.001, 104.298);

    private final AnalysisSettings settings;
    private final FaceDetectorYN detector;
    private final Net net;

    FaceEngine(AnalysisSettings settings, byte[] detectorModel, byte[] embedderModel) {
        OpenCvLibrary.load();
        this.settings = settings;
        MatOfByte detectorBytes = new MatOfByte(detectorModel);
        MatOfByte noConfig = new MatOfByte();
        MatOfByte embedderBytes = new MatOfByte(embedderModel);
        try {
            this.detector = FaceDetectorYN.create("onnx", detectorBytes, noConfig, new Size(320, 320),
                    (float) settings.scoreThreshold(), (float) settings.nmsThreshold(), settings.topK());
            this.net = Dnn.readNetFromONNX(embedderBytes);
        } finally {
            detectorBytes.release();
            noConfig.release();
            embedderBytes.release();
        }
    }

    /** Decodes a checked JPEG / PNG and finds its faces; with {@code describe}, each face gets its descriptor. */
    Faces analyse(byte[] image, boolean describe) {
        ImageFormat.check(image);
        MatOfByte encoded = new MatOfByte(image);
        Mat bgr = Imgcodecs.imdecode(encoded, Imgcodecs.IMREAD_COLOR);
        encoded.release();
        try {
            if (bgr.empty()) {
                throw new UnreadableImage("the picture could not be decoded");
            }
            return analyse(bgr, describe);
        } finally {
            bgr.release();
        }
    }

    /** Faces in a BGR picture, boxes in its pixels. */
    Faces analyse(Mat bgr, boolean describe) {
        int width = bgr.cols();
        int height = bgr.rows();
        double scale = Math.min(1.0, settings.maxSide() / (double) Math.max(width, height));
        Mat small = bgr;
        if (scale < 1.0) {
            small = new Mat();
            Imgproc.resize(bgr, small, new Size(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))),
                    0, 0, Imgproc.INTER_AREA);
        }
        Mat found = new Mat();
        try {
            detector.setInputSize(small.size());
            detector.detect(small, found);
            // the scale actually applied, per axis (sizes were rounded)
            double sx = small.cols() / (double) width;
            double sy = small.rows() / (double) height;
            List<Face> faces = new ArrayList<>();
            float[] row = new float[15];
            for (int i = 0; i < found.rows(); i++) {
                found.get(i, 0, row);
                List<Face.Point> points = new ArrayList<>(5);
                for (int p = 0; p < 5; p++) {
                    points.add(new Face.Point(row[4 + 2 * p] / sx, row[5 + 2 * p] / sy));
                }
                Face.Box box = box(row[0] / sx, row[1] / sy, row[2] / sx, row[3] / sy, width, height);
                Face face = new Face(box, points, row[14], HeadPose.yawDegrees(points), Optional.empty());
                if (describe) {
                    // aligned from the detector's input: large faces are already near the chip's size there
                    List<Face.Point> smallPoints = new ArrayList<>(5);
                    for (int p = 0; p < 5; p++) {
                        smallPoints.add(new Face.Point(row[4 + 2 * p], row[5 + 2 * p]));
                    }
                    face = face.describedAs(describe(small, smallPoints));
                }
                faces.add(face);
            }
            faces.sort(Comparator.comparingDouble(Face::score).reversed());
            return new Faces(width, height, faces);
        } finally {
            found.release();
            if (small != bgr) {
                small.release();
            }
        }
    }

    private static Face.Box box(double x, double y, double w, double h, int width, int height) {
        int x0 = (int) Math.max(0, Math.floor(x));
        int y0 = (int) Math.max(0, Math.floor(y));
        int x1 = (int) Math.min(width, Math.ceil(x + w));
        int y1 = (int) Math.min(height, Math.ceil(y + h));
        return new Face.Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /**
     * The descriptor of the face with these landmarks: the face is cut out (downscaled with area averaging first when
     * it is much larger than the chip, so the warp does not alias), aligned onto dlib's template by a similarity
     * transform (LMEDS) and fed to the network as in the model's README.
     */
    Descriptor describe(Mat bgr, List<Face.Point> landmarks) {
        double eyes = Math.hypot(landmarks.get(1).x() - landmarks.get(0).x(), landmarks.get(1).y() - landmarks.get(0).y());
        double cx = landmarks.stream().mapToDouble(Face.Point::x).average().orElseThrow();
        double cy = landmarks.stream().mapToDouble(Face.Point::y).average().orElseThrow();
        double half = Math.max(eyes * 2.5, 8);
        int x0 = (int) Math.max(0, Math.floor(cx - half));
        int y0 = (int) Math.max(0, Math.floor(cy - half));
        int x1 = (int) Math.min(bgr.cols(), Math.ceil(cx + half));
        int y1 = (int) Math.min(bgr.rows(), Math.ceil(cy + half));
        if (x1 - x0 < 2 || y1 - y0 < 2) {
            x0 = 0;
            y0 = 0;
            x1 = bgr.cols();
            y1 = bgr.rows();
        }
        double shrink = Math.min(1.0, 1.5 * TEMPLATE_EYES / Math.max(eyes, 1e-6));
        Mat roi = bgr.submat(new Rect(x0, y0, x1 - x0, y1 - y0));
        Mat region = roi;
        Mat chip = new Mat();
        Mat inliers = new Mat();
        Mat transform = null;
        Mat blob = null;
        Mat out = null;
        MatOfPoint2f src = new MatOfPoint2f();
        MatOfPoint2f dst = new MatOfPoint2f();
        try {
            if (shrink < 1.0) {
                region = new Mat();
                Imgproc.resize(roi, region, new Size(Math.max(1, Math.round((x1 - x0) * shrink)),
                        Math.max(1, Math.round((y1 - y0) * shrink))), 0, 0, Imgproc.INTER_AREA);
            }
            double fx = region.cols() / (double) (x1 - x0);
            double fy = region.rows() / (double) (y1 - y0);
            Point[] from = new Point[5];
            Point[] to = new Point[5];
            for (int p = 0; p < 5; p++) {
                from[p] = new Point((landmarks.get(p).x() - x0) * fx, (landmarks.get(p).y() - y0) * fy);
                to[p] = new Point(TEMPLATE[p][0], TEMPLATE[p][1]);
            }
            src.fromArray(from);
            dst.fromArray(to);
            transform = Calib3d.estimateAffinePartial2D(src, dst, inliers, Calib3d.LMEDS);
            if (transform.empty()) {
                throw new IllegalStateException("the face's landmarks give no alignment");
            }
            Imgproc.warpAffine(region, chip, transform, new Size(CHIP, CHIP), Imgproc.INTER_LINEAR);
            blob = Dnn.blobFromImage(chip, 1 / 256.0, new Size(CHIP, CHIP), MEAN_RGB, true, false);
            net.setInput(blob);
            out = net.forward();
            float[] values = new float[(int) out.total()];
            Mat flat = out.reshape(1, 1);
            flat.get(0, 0, values);
            flat.release();
            return new Descriptor(values);
        } finally {
            src.release();
            dst.release();
            inliers.release();
            chip.release();
            if (transform != null) {
                transform.release();
            }
            if (blob != null) {
                blob.release();
            }
            if (out != null) {
                out.release();
            }
            if (region != roi) {
                region.release();
            }
            roi.release();
        }
    }
}
