package kz.qatysu.tool.proctoring.analysis;

import java.util.List;
import java.util.Optional;

/**
 * One face found in a picture, in the original picture's pixels.
 *
 * @param box        the face's bounding box
 * @param landmarks  YuNet's five points: image-left eye, image-right eye, nose tip, image-left mouth corner,
 *                   image-right mouth corner
 * @param score      the detector's confidence, 0–1 (real faces score about 0.87–0.95)
 * @param yaw        the head's estimated turn in degrees ({@link HeadPose#yawDegrees}); the sign says which side
 * @param descriptor the identity descriptor, when the analysis computed one
 */
public record Face(Box box, List<Point> landmarks, double score, double yaw, Optional<Descriptor> descriptor) {

    public Face {
        landmarks = List.copyOf(landmarks);
        if (landmarks.size() != 5) {
            throw new IllegalArgumentException("five landmarks expected, got " + landmarks.size());
        }
    }

    /** The same face with a descriptor. */
    Face describedAs(Descriptor d) {
        return new Face(box, landmarks, score, yaw, Optional.of(d));
    }

    /** The descriptor; an {@link IllegalStateException} when the analysis was a count only. */
    public Descriptor requireDescriptor() {
        return descriptor.orElseThrow(() -> new IllegalStateException("this face was counted, not described"));
    }

    /** A box in pixels of the original picture. */
    public record Box(int x, int y, int width, int height) {
        public long area() {
            return (long) width * height;
        }
    }

    /** A point in pixels of the original picture. */
    public record Point(double x, double y) {
    }
}
