package kz.qatysu.tool.lti.advantage;

import java.net.URI;

/** The line item chosen for a resource link, and how it was found. */
public record ResolvedLineItem(URI url, Source source) {

    public enum Source {
        /** The launch's AGS claim named it. */
        LAUNCH_CLAIM,
        /** Found in the line items container by resource link id and tag. */
        FOUND,
        /** None matched, so it was created. */
        CREATED
    }
}
