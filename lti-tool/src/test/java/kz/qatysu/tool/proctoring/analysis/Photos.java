package kz.qatysu.tool.proctoring.analysis;

import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The real test photographs (see photos/NOTICE.md) and the composites and transforms the tests make of them with
 * OpenCV. Every Mat made here is released before returning; the results are encoded pictures, as an upload would be.
 */
public final class Photos {
    /** One face, frontal: Eileen Collins (NASA, public domain). */
    public static final String ASTRONAUT = "astronaut.jpg";
    /** One face, frontal: Grace Hopper (US Navy, public domain). */
    public static final String GRACE_HOPPER = "grace_hopper.jpg";
    /** One face, the head turned about 55° (CC0). */
    public static final String CAMERAMAN = "camera.jpg";
    /** No face: a cat (CC0). */
    public static final String CAT = "chelsea.jpg";
    /** No face: a coffee cup (CC0). */
    public static final String COFFEE = "coffee.jpg";

    private Photos() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Photos.class.getResourceAsStream("photos/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test photograph " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pictures side by side on a grey canvas (each vertically centred), as a JPEG. */
    public static byte[] sideBySide(String... names) {
        OpenCvLibrary.load();
        List<Mat> mats = java.util.Arrays.stream(names).map(Photos::decode).toList();
        int width = mats.stream().mapToInt(Mat::cols).sum();
        int height = mats.stream().mapToInt(Mat::rows).max().orElseThrow();
        Mat canvas = new Mat(height, width, org.opencv.core.CvType.CV_8UC3, new Scalar(128, 128, 128));
        try {
            int x = 0;
            for (Mat m : mats) {
                Mat target = canvas.submat(new Rect(x, (height - m.rows()) / 2, m.cols(), m.rows()));
                m.copyTo(target);
                target.release();
                x += m.cols();
            }
            return jpeg(canvas, 92);
        } finally {
            canvas.release();
            mats.forEach(Mat::release);
        }
    }

    /** Scaled by {@code factor} (area averaging down, cubic up), as a JPEG. */
    public static byte[] scaled(String name, double factor) {
        return transform(name, m -> {
            Mat out = new Mat();
            Imgproc.resize(m, out, new Size(Math.round(m.cols() * factor), Math.round(m.rows() * factor)), 0, 0,
                    factor < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
            return out;
        }, 92);
    }

    /** Mirrored left to right. */
    public static byte[] mirrored(String name) {
        return transform(name, m -> {
            Mat out = new Mat();
            Core.flip(m, out, 1);
            return out;
        }, 92);
    }

    /** Rotated by {@code degrees} about the centre (corners filled grey). */
    public static byte[] rotated(String name, double degrees) {
        return transform(name, m -> {
            Mat r = Imgproc.getRotationMatrix2D(new Point(m.cols() / 2.0, m.rows() / 2.0), degrees, 1.0);
            Mat out = new Mat();
            Imgproc.warpAffine(m, out, r, m.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT, new Scalar(128, 128, 128));
            r.release();
            return out;
        }, 92);
    }

    /** Brightness and contrast changed: {@code alpha·pixel + beta}. */
    public static byte[] brightened(String name, double alpha, double beta) {
        return transform(name, m -> {
            Mat out = new Mat();
            m.convertTo(out, -1, alpha, beta);
            return out;
        }, 92);
    }

    /** The region {@code x, y, w, h} cut out. */
    public static byte[] cropped(String name, int x, int y, int w, int h) {
        return transform(name, m -> {
            Mat roi = m.submat(new Rect(x, y, w, h));
            Mat out = roi.clone();
            roi.release();
            return out;
        }, 92);
    }

    /** Re-encoded as a JPEG of the given quality. */
    public static byte[] reencoded(String name, int quality) {
        return transform(name, Mat::clone, quality);
    }

    /** Encoded as PNG (lossless). */
    public static byte[] png(String name) {
        OpenCvLibrary.load();
        Mat m = decode(name);
        MatOfByte out = new MatOfByte();
        try {
            Imgcodecs.imencode(".png", m, out);
            return out.toArray();
        } finally {
            out.release();
            m.release();
        }
    }

    private static byte[] transform(String name, java.util.function.Function<Mat, Mat> f, int quality) {
        OpenCvLibrary.load();
        Mat m = decode(name);
        Mat out = f.apply(m);
        try {
            return jpeg(out, quality);
        } finally {
            out.release();
            m.release();
        }
    }

    private static Mat decode(String name) {
        MatOfByte in = new MatOfByte(bytes(name));
        Mat m = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_COLOR);
        in.release();
        return m;
    }

    private static byte[] jpeg(Mat m, int quality) {
        MatOfByte out = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            Imgcodecs.imencode(".jpg", m, out, params);
            return out.toArray();
        } finally {
            out.release();
            params.release();
        }
    }
}
