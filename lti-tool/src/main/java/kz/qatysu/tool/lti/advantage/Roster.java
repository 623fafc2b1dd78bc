package kz.qatysu.tool.lti.advantage;

import java.net.URI;
import java.util.List;

/** A course's membership from NRPS, all pages joined; {@code pages} is how many the platform served. */
public record Roster(URI id, Context context, List<Member> members, int pages) {

    public Roster {
        members = List.copyOf(members);
    }

    /** The membership container's {@code context}; fields may be null. */
    public record Context(String id, String label, String title) {
    }
}
