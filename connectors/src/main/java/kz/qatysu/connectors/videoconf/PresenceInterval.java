package kz.qatysu.connectors.videoconf;

import java.time.Instant;
import java.util.Objects;

/**
 * One stretch of one person's presence in a video session, whatever the platform. Reconnects give several intervals
 * for one person; they are merged later, by the attendance evidence algorithm, after clipping to the class window.
 *
 * @param personKey   what maps the row to a person: BigBlueButton's {@code ext_user_id} / {@code external-user-id}
 *                    (the {@code userID} we passed on join, the portal person id), Zoom's {@code customer_key}, else
 *                    the e-mail (lower-cased); null when the platform only knows a display name
 * @param displayName the name the platform showed, for the teacher (Kazakh letters kept as they are)
 * @param leave       never before {@code join}
 */
public record PresenceInterval(String personKey, String displayName, Instant join, Instant leave, Source source) {

    public enum Source {
        /** The learning-analytics callback after the meeting (events.xml), the most complete BigBlueButton source. */
        BBB_ANALYTICS,
        /** {@code user-joined} / {@code user-left} webhooks while the meeting runs. */
        BBB_WEBHOOK,
        /** Zoom's past meeting participants report. */
        ZOOM_REPORT
    }

    public PresenceInterval {
        Objects.requireNonNull(join, "join");
        Objects.requireNonNull(leave, "leave");
        Objects.requireNonNull(source, "source");
        if (leave.isBefore(join)) {
            throw new IllegalArgumentException("presence of '" + (personKey == null ? displayName : personKey)
                    + "' leaves (" + leave + ") before it joins (" + join + ")");
        }
    }
}
