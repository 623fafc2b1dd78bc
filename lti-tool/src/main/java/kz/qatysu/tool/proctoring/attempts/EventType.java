package kz.qatysu.tool.proctoring.attempts;

import kz.qatysu.tool.proctoring.analysis.FaceEvent;

import java.util.Optional;

/**
 * The events of an attempt's log (the proctoring API's {@code type}), with the default severity and the points each
 * occurrence takes off the trust score (docs/PROCTORING.md has the table). {@link Source} says who may report it: the
 * examinee's browser reports only BROWSER events; the others are the server's own findings.
 */
public enum EventType {
    CONSENT_GIVEN(Severity.INFO, 0, Source.SERVER),
    CONSENT_REFUSED(Severity.INFO, 0, Source.SERVER),
    SYSTEM_CHECKED(Severity.INFO, 0, Source.SERVER),
    ID_VERIFIED(Severity.INFO, 0, Source.SERVER),
    /** The live face did not match the ID document (or an earlier verified face): a flag for the proctor, never a block. */
    ID_NOT_VERIFIED(Severity.WARNING, 10, Source.SERVER),
    ROOM_SCAN_RECORDED(Severity.INFO, 0, Source.SERVER),
    ATTEMPT_STARTED(Severity.INFO, 0, Source.SERVER),
    ATTEMPT_ENDED(Severity.INFO, 0, Source.SERVER),
    ATTEMPT_ABANDONED(Severity.WARNING, 5, Source.SERVER),
    NO_FACE(FaceEvent.NO_FACE),
    MULTIPLE_FACES(FaceEvent.MULTIPLE_FACES),
    FACE_MISMATCH(FaceEvent.FACE_MISMATCH),
    LOOKING_AWAY(FaceEvent.LOOKING_AWAY),
    TAB_HIDDEN(Severity.WARNING, 3, Source.BROWSER),
    /**
     * The monitoring window lost the focus. The exam itself runs in the LMS's window beside it, so focus moving there
     * is expected: kept on the timeline (with the screen snapshots it explains what happened), no points taken.
     */
    FOCUS_LOST(Severity.INFO, 0, Source.BROWSER),
    FULLSCREEN_EXIT(Severity.WARNING, 2, Source.BROWSER),
    SCREEN_SHARE_STOPPED(Severity.VIOLATION, 10, Source.BROWSER),
    CAMERA_STOPPED(Severity.VIOLATION, 10, Source.BROWSER),
    MICROPHONE_STOPPED(Severity.WARNING, 5, Source.BROWSER),
    NOISE(Severity.WARNING, 1, Source.BROWSER),
    /** No heartbeat from the monitoring window for longer than allowed (window closed, connection lost). */
    HEARTBEAT_GAP(Severity.WARNING, 5, Source.SERVER),
    COPY_PASTE(Severity.WARNING, 3, Source.BROWSER),
    SECOND_SCREEN(Severity.VIOLATION, 10, Source.BROWSER);

    public enum Severity { INFO, WARNING, VIOLATION }

    public enum Source { SERVER, BROWSER, FACE_ANALYSIS }

    private final Severity severity;
    private final int weight;
    private final Source source;

    EventType(Severity severity, int weight, Source source) {
        this.severity = severity;
        this.weight = weight;
        this.source = source;
    }

    EventType(FaceEvent face) {
        this(Severity.valueOf(face.severity().name()), face.weight(), Source.FACE_ANALYSIS);
    }

    public Severity severity() {
        return severity;
    }

    /** Points each occurrence takes off the trust score (of 100). */
    public int weight() {
        return weight;
    }

    public Source source() {
        return source;
    }

    public static EventType of(FaceEvent face) {
        return valueOf(face.name());
    }

    /** The browser-reported type named {@code wire}, if it is one the browser may report. */
    public static Optional<EventType> fromBrowser(String wire) {
        for (EventType t : values()) {
            if (t.name().equals(wire) && t.source == Source.BROWSER) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
