package kz.qatysu.connectors.qatysu;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** The request and response bodies of the tool's REST API ({@code shared/integration/qatysu-api.md}); field names are the contract. */
public final class ToolModel {
    private ToolModel() {
    }

    /**
     * @param openedxCourseKey the Open edX course the section runs in; "" unlinks, null (left out of the JSON) leaves
     *                         the tool's link as it is
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SectionBody(String title, LocalDate termStart, LocalDate termEnd, String openedxCourseKey) {
        @JsonCreator
        public SectionBody {
        }

        public SectionBody(String title, LocalDate termStart, LocalDate termEnd) {
            this(title, termStart, termEnd, null);
        }
    }

    /**
     * @param group      the student's academic group code (optional; null = unknown, left out of the JSON)
     * @param familyName the portal's name parts (optional, left out when null); {@code middleName} is the patronymic
     * @param login      the single-sign-on login (the Open edX username), optional
     * @param adviserId  a student's adviser (эдвайзер / куратор) as the portal names them, optional (left out when null)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnrolmentBody(String personId, String role, LocalDate since, String group, String familyName,
                                String givenName, String middleName, String login, String adviserId) {
        @JsonCreator
        public EnrolmentBody {
        }

        public EnrolmentBody(String personId, String role, LocalDate since, String group, String familyName,
                             String givenName, String middleName, String login) {
            this(personId, role, since, group, familyName, givenName, middleName, login, null);
        }

        public EnrolmentBody(String personId, String role, LocalDate since, String group) {
            this(personId, role, since, group, null, null, null, null);
        }

        /** An enrolment without an academic group (teachers; students whose group is unknown). */
        public EnrolmentBody(String personId, String role, LocalDate since) {
            this(personId, role, since, null);
        }
    }

    /**
     * @param group the academic group a group session is for (a seminar of {@code ИС-24-2}), null for the whole section
     *              (then left out, so a whole-section session goes on the wire exactly as before groups existed)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SessionBody(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours, String room,
                              String onlineUrl, @JsonInclude(JsonInclude.Include.NON_NULL) String group) {
        /** A session of the whole section. */
        public SessionBody(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours, String room,
                           String onlineUrl) {
            this(sessionId, start, end, kind, hours, room, onlineUrl, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MarkBody(String personId, String status, Integer lateMinutes, String reason) {
    }

    public record Override(String state, String reason, String by, String at) {
    }

    public record Standing(String personId, double plannedHours, double absentHours, int lateCount, double absenceShare,
                           String state, String computedState, Override override, String reason) {
    }

    /** One entry of {@code GET /api/v1/changes}: a mark or a standing change, with whatever the tool adds. */
    public record Change(String type, String sectionId, String sessionId, String personId, String status, Integer lateMinutes,
                         String reason, String state, String at) {
    }

    public record Changes(List<Change> changes, String cursor) {
    }

    /** One entry of the verdicts feed (docs/PROCTORING.md "Verdicts API"): a proctor's verdict given or changed. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Verdict(long seq, String attemptId, String examId, String examTitle, String sectionId, String personId,
                          String verdict, Double score, String comment, String decidedBy, String decidedAt) {
    }

    /** A page of the verdicts feed: the entries, the cursor to pass back, whether more are waiting. */
    public record Verdicts(List<Verdict> verdicts, String cursor, boolean hasMore) {
    }

    /**
     * One score of {@code PUT /api/v1/sections/{id}/scores}: {@code points} out of {@code max} for one component
     * ({@code RK1}, {@code MT}, {@code RK2}, …). {@code points} null removes the score (and is sent as null);
     * {@code max} null lets the tool use the component's configured maximum (and is left out).
     */
    public record ScoreBody(String personId, String component, BigDecimal points,
                            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal max) {
        public static ScoreBody removal(String personId, String component) {
            return new ScoreBody(personId, component, null, null);
        }
    }

    /** One component's score in an admission row. */
    public record ComponentScore(String component, BigDecimal points, BigDecimal max) {
    }

    /** The semester rating behind an admission decision. */
    public record Rating(BigDecimal points, BigDecimal max, BigDecimal share, BigDecimal threshold, List<String> missing,
                         List<ComponentScore> components) {
    }

    /** The attendance side of an admission decision (after the attendance override). */
    public record AdmissionAttendance(String state, double absenceShare, Override override) {
    }

    /** The dean's office decision on the admission as a whole ({@code ADMITTED} or {@code NOT_ADMITTED}). */
    public record AdmissionOverride(String state, String reason, String by, String at) {
    }

    /** One row of {@code GET /api/v1/sections/{id}/admission}: the final-exam gate of one student. */
    public record Admission(String personId, boolean admitted, AdmissionAttendance attendance, Rating rating, List<String> reasons,
                            AdmissionOverride override) {
    }
}
