package kz.qatysu.tool.proctoring.analysis;

/**
 * What the face analysis of one monitoring snapshot can raise, with the default severity and the default weight it
 * takes off an attempt's trust score (docs/PROCTORING.md has the table). Events are evidence for a proctor, never a
 * verdict.
 */
public enum FaceEvent {
    /** Nobody in front of the camera (or the camera covered). */
    NO_FACE(Severity.WARNING, 2),
    /** More than one face in the picture. */
    MULTIPLE_FACES(Severity.VIOLATION, 10),
    /** The face is not the verified examinee's (descriptor distance ≥ {@code proctoring.matchThreshold}). */
    FACE_MISMATCH(Severity.VIOLATION, 15),
    /** The head turned more than {@code proctoring.lookingAwayYaw} degrees. */
    LOOKING_AWAY(Severity.WARNING, 1);

    /** As in the proctoring API's events: {@code INFO}, {@code WARNING}, {@code VIOLATION}. */
    public enum Severity { INFO, WARNING, VIOLATION }

    private final Severity severity;
    private final int weight;

    FaceEvent(Severity severity, int weight) {
        this.severity = severity;
        this.weight = weight;
    }

    public Severity severity() {
        return severity;
    }

    /** Points each occurrence takes off the trust score (of 100). */
    public int weight() {
        return weight;
    }
}
