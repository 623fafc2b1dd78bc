package kz.qatysu.tool.proctoring.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The face events of one monitoring snapshot, a pure function of its analysis: no face → {@code NO_FACE}; more than
 * one → {@code MULTIPLE_FACES} (the examinee's own face is still checked: the largest); the largest face not the
 * verified identity → {@code FACE_MISMATCH}; its head turned away → {@code LOOKING_AWAY}. Each finding carries a
 * detail for the proctor's timeline.
 */
public final class SnapshotFindings {
    private SnapshotFindings() {
    }

    /** One event raised by a snapshot, with what the analysis measured. */
    public record Finding(FaceEvent event, String detail) {
    }

    /**
     * @param faces    the snapshot's analysis (with descriptors when {@code identity} is given)
     * @param identity the examinee's verified descriptor, when the identity check has run
     */
    public static List<Finding> of(Faces faces, Optional<Descriptor> identity, AnalysisSettings settings) {
        List<Finding> out = new ArrayList<>();
        if (faces.count() == 0) {
            out.add(new Finding(FaceEvent.NO_FACE, "no face found"));
            return out;
        }
        if (faces.count() > 1) {
            out.add(new Finding(FaceEvent.MULTIPLE_FACES, faces.count() + " faces found"));
        }
        Face own = faces.largest().orElseThrow();
        if (identity.isPresent() && own.descriptor().isPresent()) {
            Match m = Match.of(identity.get(), own.descriptor().get(), settings.matchThreshold());
            if (!m.same()) {
                out.add(new Finding(FaceEvent.FACE_MISMATCH, String.format(Locale.ROOT,
                        "distance %.3f to the verified face (threshold %.2f)", m.distance(), m.threshold())));
            }
        }
        if (HeadPose.lookingAway(own, settings.lookingAwayYaw())) {
            out.add(new Finding(FaceEvent.LOOKING_AWAY, String.format(Locale.ROOT,
                    "head turned about %.0f° (more than %.0f°)", Math.abs(own.yaw()), settings.lookingAwayYaw())));
        }
        return out;
    }
}
