package kz.qatysu.connectors.qatysu;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** The request and response bodies of the tool's REST API ({@code shared/integration/qatysu-api.md}); field names are the contract. */
public final class ToolModel {
    private ToolModel() {
    }

    public record SectionBody(String title, LocalDate termStart, LocalDate termEnd) {
    }

    /** @param group the student's academic group code (optional; null = unknown, left out of the JSON) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnrolmentBody(String personId, String role, LocalDate since, String group) {
        @JsonCreator
        public EnrolmentBody {
        }

        /** An enrolment without an academic group (teachers; students whose group is unknown). */
        public EnrolmentBody(String personId, String role, LocalDate since) {
            this(personId, role, since, null);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SessionBody(String sessionId, OffsetDateTime start, OffsetDateTime end, String kind, int hours, String room,
                              String onlineUrl) {
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
}
