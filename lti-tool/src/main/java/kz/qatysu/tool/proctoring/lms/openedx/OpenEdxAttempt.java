package kz.qatysu.tool.proctoring.lms.openedx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A learner's Open edX attempt (LTI Proctoring Services): the proctored exam's resource link and the platform's
 * {@code attempt_number}, bound to a Qatysu attempt, with what the latest LtiStartProctoring sent (the
 * {@code session_data} to echo, where to send LtiStartAssessment, the Assessment Control Service if offered, and the
 * name claims — the only names the tool may vouch for).
 */
public record OpenEdxAttempt(String id, long platformId, String deploymentId, String resourceLinkId, String subject,
                             int attemptNumber, String examId, String attemptId, String launchKey, String sessionData,
                             String startAssessmentUrl, Optional<String> acsUrl, List<String> acsActions,
                             Optional<String> name, Optional<String> givenName, Optional<String> familyName,
                             Instant createdAt, Instant launchedAt, Optional<Instant> assessmentStartedAt,
                             Optional<Instant> endAssessmentAt) {

    public OpenEdxAttempt {
        acsActions = List.copyOf(acsActions);
    }

    /** Whether the platform accepts {@code action} through its Assessment Control Service. */
    public boolean acsOffers(String action) {
        return acsUrl.isPresent() && acsActions.contains(action);
    }
}
