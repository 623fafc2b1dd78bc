package kz.qatysu.tool.excuses;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A student's request to excuse absences of one section: a date range or chosen sessions, a reason, optionally
 * a document, and the decision once there is one.
 */
public record Excuse(long id, String sectionId, String personId, LocalDate dateFrom, LocalDate dateTo,
                     List<String> sessionIds, String reason, String documentFile, DocumentType documentType,
                     Long documentSize, Status status, String submittedBy, Instant submittedAt, Instant decideBy,
                     String decidedBy, Instant decidedAt, String decisionComment) {

    public enum Status { PENDING, APPROVED, REJECTED }

    public Excuse {
        sessionIds = List.copyOf(sessionIds);
    }

    public boolean hasDocument() {
        return documentFile != null;
    }

    public boolean pending() {
        return status == Status.PENDING;
    }

    /** Still undecided after its deadline: shown highlighted to the teacher and the dean's office. */
    public boolean overdue(Instant now) {
        return pending() && now.isAfter(decideBy);
    }

    /** What the excuse covers, as shown in lists: the range or the chosen session ids. */
    public String covers() {
        return dateFrom != null ? dateFrom + " – " + dateTo : String.join(", ", sessionIds);
    }
}
