package kz.qatysu.tool.lti.advantage;

import java.net.URI;
import java.time.Instant;

/**
 * An AGS 2.0 line item as the platform returned it. Empty strings (Moodle sends {@code "tag": ""}) are read as
 * null. Moodle echoes {@code startDateTime}/{@code endDateTime} on create but does not store them.
 */
public record LineItem(URI id, String label, double scoreMaximum, String resourceId, String tag,
                       String resourceLinkId, Instant startDateTime, Instant endDateTime) {

    public LineItem withLabel(String newLabel) {
        return new LineItem(id, newLabel, scoreMaximum, resourceId, tag, resourceLinkId, startDateTime, endDateTime);
    }

    public LineItem withScoreMaximum(double newMaximum) {
        return new LineItem(id, label, newMaximum, resourceId, tag, resourceLinkId, startDateTime, endDateTime);
    }
}
