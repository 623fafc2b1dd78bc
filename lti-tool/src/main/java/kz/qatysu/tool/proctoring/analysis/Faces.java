package kz.qatysu.tool.proctoring.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the face analysis saw in one picture.
 *
 * @param width  the picture's width in pixels (as decoded, EXIF orientation applied)
 * @param height its height
 * @param faces  the faces found, most confident first
 */
public record Faces(int width, int height, List<Face> faces) {

    public Faces {
        faces = List.copyOf(faces);
    }

    public int count() {
        return faces.size();
    }

    /** The face with the largest box: the examinee's, when others are further away. */
    public Optional<Face> largest() {
        return faces.stream().max(Comparator.comparingLong(f -> f.box().area()));
    }
}
