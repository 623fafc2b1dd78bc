package kz.qatysu.tool.attendance.evidence;

import java.util.List;
import java.util.Optional;

/**
 * The result of {@link PresenceEvidence#propose}: one proposed mark per roster person, in roster order, and the
 * ids (sorted) that had evidence but are not on the roster (a guest, or an id mapping problem the teacher should see).
 */
public record Proposal(List<ProposedMark> marks, List<String> notOnRoster) {

    public Proposal {
        marks = List.copyOf(marks);
        notOnRoster = List.copyOf(notOnRoster);
    }

    public Optional<ProposedMark> of(String personId) {
        return marks.stream().filter(m -> m.personId().equals(personId)).findFirst();
    }
}
