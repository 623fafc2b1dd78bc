package kz.qatysu.connectors.openedx;

import java.util.List;

/** The parts of Open edX's answers the sync uses. */
public final class OpenEdxModel {
    private OpenEdxModel() {
    }

    public record Account(String username, String email, String name, boolean active) {
    }

    /** One identifier's outcome of a bulk enrolment: enrolled now, or allowed (applies at first sign-in), or an error. */
    public record BulkEnrollResult(String identifier, boolean enrolled, boolean allowed, boolean userExists, boolean invalid,
                                   boolean error) {
    }

    public record Cohort(long id, String name, int userCount, String assignmentType) {
    }

    public record CohortAdd(List<String> added, List<String> changed, List<String> present, List<String> unknown,
                            List<String> preassigned, List<String> invalid) {
    }

    public record Grade(String username, String courseId, boolean passed, double percent, String letterGrade) {
    }
}
