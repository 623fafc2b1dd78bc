package kz.qatysu.tool.proctoring.analysis;

import java.util.List;

/**
 * The head's turn (yaw) estimated from YuNet's five landmarks, a pure function.
 *
 * <p>The nose tip stands out of the plane of the eyes by about half the distance between the eyes. Turning the head by
 * θ moves the nose tip sideways by {@code depth·sin θ} while the eyes move closer together by {@code cos θ}, so the
 * nose's offset from the eye midpoint along the eye line, divided by the distance between the eyes, is about
 * {@code 0.5·tan θ}: yaw = atan(2 · offset / eyeDistance). Measured along the eye line, so a tilted (rolled) head
 * does not count as turned. A heuristic: it tells a head turned well away from a frontal one (document-style photos
 * measure within about ±10°), not the exact angle.
 */
public final class HeadPose {
    /** Nose-tip depth in front of the eyes, as a share of the distance between the eyes. */
    static final double NOSE_DEPTH = 0.5;

    private HeadPose() {
    }

    /** Degrees, positive when the nose points to the image's right; 0 for a frontal face. */
    public static double yawDegrees(List<Face.Point> landmarks) {
        Face.Point left = landmarks.get(0);
        Face.Point right = landmarks.get(1);
        Face.Point nose = landmarks.get(2);
        double ex = right.x() - left.x();
        double ey = right.y() - left.y();
        double eyes = Math.hypot(ex, ey);
        if (eyes < 1e-6) {
            return 90;
        }
        double mx = (left.x() + right.x()) / 2;
        double my = (left.y() + right.y()) / 2;
        double along = ((nose.x() - mx) * ex + (nose.y() - my) * ey) / eyes;
        return Math.toDegrees(Math.atan(along / eyes / NOSE_DEPTH));
    }

    /** True when the head is turned more than {@code maxYawDegrees} to either side. */
    public static boolean lookingAway(Face face, double maxYawDegrees) {
        return Math.abs(face.yaw()) > maxYawDegrees;
    }
}
