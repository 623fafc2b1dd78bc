package kz.qatysu.tool.proctoring.lms.openedx;

import kz.qatysu.tool.admission.AdmissionService;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.course.CourseScope;
import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.LtiException;
import kz.qatysu.tool.lti.LtiFailure;
import kz.qatysu.tool.lti.keys.ToolKeys;
import kz.qatysu.tool.lti.launch.Launch;
import kz.qatysu.tool.lti.launch.LaunchValidator;
import kz.qatysu.tool.lti.launch.ProctoringMessages;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptService;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.examinee.ExamineeGate;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.proctoring.exams.ExamRepository;
import kz.qatysu.tool.util.Tokens;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Open edX's LTI Proctoring Services on the tool's side (docs/PROCTORING.md "Open edX (LTI Proctoring Services)").
 * <ul>
 * <li>{@code LtiStartProctoring}: the resource link must be linked to a Qatysu exam (else refused with
 * {@code UNKNOWN_PROCTORED_EXAM} and remembered for the exam's linking page); the session opens on the exam's section;
 * a learner who passes the exam gate gets the Qatysu attempt of that {@code attempt_number} (number 2 is a new attempt),
 * bound with the launch's {@code session_data}, start URL and ACS; the browser lands on the exam page (consent, checks,
 * monitoring window). A launch naming no portal person (edx-exams sends only its anonymous user id) is the person an
 * edx-exams roster named ({@link EdxRoster}, {@link #withPerson}), for the gate and the attempt.</li>
 * <li>{@code LtiStartAssessment}: only once the attempt's monitoring runs (IN_PROGRESS), signed for the learner's
 * browser to post to {@code start_assessment_url}.</li>
 * <li>{@code LtiEndAssessment}: the attempt must be a known one (else {@code UNKNOWN_PROCTORING_ATTEMPT}); its end is
 * requested: a monitoring window still running hears it with its heartbeat and ends itself (uploading the rest of the
 * recording); a silent one, or one still running after {@link #END_GRACE}, is ended for it with the recording marked
 * incomplete.</li>
 * </ul>
 */
public final class OpenEdxProctoring implements ProctoringMessages {
    private static final Logger log = LoggerFactory.getLogger(OpenEdxProctoring.class);
    /** How long a running monitoring window has to end itself after LtiEndAssessment before the tool ends the attempt. */
    static final Duration END_GRACE = Duration.ofMinutes(2);
    /** A monitoring window silent this long is not running: LtiEndAssessment ends its attempt at once. */
    static final Duration SILENT = Duration.ofSeconds(30);

    private final OpenEdxRepository repository;
    private final ExamRepository exams;
    private final AttemptService attempts;
    private final AdmissionService admission;
    private final PlatformService platforms;
    private final ToolKeys keys;
    private final Clock clock;

    public OpenEdxProctoring(OpenEdxRepository repository, ExamRepository exams, AttemptService attempts,
                             AdmissionService admission, PlatformService platforms, ToolKeys keys, Clock clock) {
        this.repository = repository;
        this.exams = exams;
        this.attempts = attempts;
        this.admission = admission;
        this.platforms = platforms;
        this.keys = keys;
        this.clock = clock;
    }

    public OpenEdxRepository repository() {
        return repository;
    }

    // ---- the platform's messages -----------------------------------------------------------------------------------

    @Override
    public Accepted accept(Handle h, Launch launch, ToolSession session) {
        Map<?, ?> claims = (Map<?, ?>) launch.services().get(LaunchValidator.PROCTORING);
        int number = ((Number) claims.get("attempt_number")).intValue();
        long platformId = launch.platform().id();
        String link = launch.resourceLinkId();
        Instant now = clock.instant();
        if (LtiClaims.END_ASSESSMENT.equals(launch.messageType())) {
            OpenEdxAttempt o = repository.find(h, platformId, link, launch.subject(), number)
                    .orElseThrow(() -> new LtiException(LtiFailure.UNKNOWN_PROCTORING_ATTEMPT, "LtiEndAssessment for attempt "
                            + number + " of resource link '" + link + "' on platform " + platformId
                            + ", which no LtiStartProctoring of this learner started"));
            repository.endRequested(h, o.id(), now);
            Exam exam = exams.find(h, o.examId()).orElseThrow();
            closeIfQuiet(o.attemptId());
            log.info("LtiEndAssessment: platform={} link={} attempt_number={} attempt={}", platformId, link, number, o.attemptId());
            return new Accepted(withPerson(h, withSection(session, exam.sectionId())), "openedx");
        }
        String examId = repository.examOf(h, platformId, link).orElse(null);
        if (examId == null) {
            repository.seenUnlinked(h, platformId, link, launch.contextId(), launch.contextTitle(), launch.contextLabel(), now);
            throw new LtiException(LtiFailure.UNKNOWN_PROCTORED_EXAM, "resource link '" + link + "' of platform " + platformId
                    + " is linked to no exam: link it on the exam's \"Open edX\" page");
        }
        Exam exam = exams.find(h, examId).orElseThrow();
        ToolSession s = withPerson(h, withSection(session, exam.sectionId()));
        String landing = "exams/" + URLEncoder.encode(exam.id(), StandardCharsets.UTF_8).replace("+", "%20");
        String person = CourseScope.personId(s);
        if (!ExamineeGate.admitted(exam.kind(), admission.row(exam.sectionId(), person))) {
            // no attempt for a learner the gate refuses: the exam page explains the gate
            log.info("LtiStartProctoring: platform={} link={} person={} is not admitted to exam {}", platformId, link, person, examId);
            return new Accepted(s, landing);
        }
        Attempt attempt;
        try {
            attempt = attempts.open(exam, person, number);
        } catch (ApiException e) {
            if (e.status() == 409) {
                throw new LtiException(LtiFailure.PROCTORED_EXAM_NOT_OPEN, e.getMessage());
            }
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<String> actions = claims.get("acs_actions") instanceof List<?> l ? (List<String>) l : List.of();
        repository.bind(h, "oex-" + Tokens.random(12), new OpenEdxRepository.StartLaunch(platformId, launch.deploymentId(),
                link, launch.subject(), number, exam.id(), attempt.id(), session.launchKey(), (String) claims.get("session_data"),
                (String) claims.get("start_assessment_url"), (String) claims.get("acs_url"), actions, launch.name(),
                launch.givenName(), launch.familyName()), now);
        log.info("LtiStartProctoring: platform={} link={} attempt_number={} exam={} attempt={}", platformId, link, number,
                examId, attempt.id());
        return new Accepted(s, landing);
    }

    // ---- LtiStartAssessment ----------------------------------------------------------------------------------------

    /** Where the learner's browser posts the signed LtiStartAssessment, and the JWT. */
    public record Assessment(String url, String jwt) {
    }

    /** Why LtiStartAssessment cannot be sent yet. */
    public static final class NotYet extends RuntimeException {
        private final String reason;

        NotYet(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        /** {@code NO_ATTEMPT}, {@code NOT_MONITORED} (the monitoring window has not started) or {@code ENDED}. */
        public String reason() {
            return reason;
        }
    }

    /**
     * The LtiStartAssessment of the learner's current Open edX attempt at the session's resource link — only while
     * its monitoring runs (the attempt is IN_PROGRESS: {@link AttemptService#start} succeeded), so nobody reaches the
     * exam without the monitoring window.
     */
    public Assessment startAssessment(ToolSession s) {
        OpenEdxAttempt o = current(s).orElseThrow(() -> new NotYet("NO_ATTEMPT"));
        Attempt a = attempts.repository().find(o.attemptId()).orElseThrow(() -> new NotYet("NO_ATTEMPT"));
        if (a.state().finished() || a.state() == AttemptState.ABANDONED && o.endAssessmentAt().isPresent()) {
            throw new NotYet("ENDED");
        }
        if (a.state() != AttemptState.IN_PROGRESS) {
            throw new NotYet("NOT_MONITORED");
        }
        Platform platform = platforms.byId(o.platformId()).orElseThrow(() -> new NotYet("NO_ATTEMPT"));
        Instant now = clock.instant();
        String jwt = StartAssessment.sign(keys.signingKey(), platform.clientId(), platform.issuer(), o,
                a.identity() == Attempt.Identity.VERIFIED, now);
        repository.assessmentStarted(o.id(), now);
        log.info("LtiStartAssessment: platform={} link={} attempt_number={} attempt={}", platform.id(), o.resourceLinkId(),
                o.attemptNumber(), a.id());
        return new Assessment(o.startAssessmentUrl(), jwt);
    }

    /** The Open edX attempt the session's launch is about: the launch's attempt number, else the learner's latest. */
    public Optional<OpenEdxAttempt> current(ToolSession s) {
        Optional<Integer> number = s.service(LaunchValidator.PROCTORING).map(m -> m.get("attempt_number"))
                .filter(Number.class::isInstance).map(n -> ((Number) n).intValue());
        if (s.resourceLinkId() == null || s.subject() == null) {
            return Optional.empty();
        }
        return number.isPresent() ? repository.find(s.platformId(), s.resourceLinkId(), s.subject(), number.get())
                : repository.latest(s.platformId(), s.resourceLinkId(), s.subject());
    }

    // ---- LtiEndAssessment ------------------------------------------------------------------------------------------

    /** Ends the attempt now when its monitoring window is silent or its recording complete; else the window ends it. */
    void closeIfQuiet(String attemptId) {
        Optional<Attempt> a = attempts.repository().find(attemptId);
        if (a.isEmpty() || a.get().state() != AttemptState.IN_PROGRESS) {
            return;
        }
        Instant last = a.get().lastHeartbeatAt().or(() -> a.get().startedAt()).orElse(Instant.EPOCH);
        if (last.isBefore(clock.instant().minus(SILENT))) {
            attempts.endByPlatform(attemptId, "ended by the platform (LtiEndAssessment); the monitoring window was silent");
        }
    }

    /** Ends the attempts whose LtiEndAssessment came more than {@link #END_GRACE} ago and still run; returns how many. */
    public int endOverdue() {
        int n = 0;
        for (String id : repository.endOverdue(clock.instant().minus(END_GRACE))) {
            try {
                attempts.endByPlatform(id, "ended by the platform (LtiEndAssessment); the monitoring window did not end it");
                n++;
            } catch (RuntimeException e) {
                log.warn("ending attempt {} after LtiEndAssessment failed: {}", id, e.getMessage());
            }
        }
        return n;
    }

    /**
     * The launch's session as the portal person an edx-exams roster named (docs/PROCTORING.md "The person"): a launch
     * that names no portal person (edx-exams sends only its anonymous user id as {@code sub}) takes the username the
     * exam's roster gave that {@code sub} and, through it, the person whose portal login it is — as a launch's own
     * username would ({@code LaunchLookup}); unchanged when the launch names a person or no roster named the learner.
     */
    static ToolSession withPerson(Handle h, ToolSession s) {
        if (s.personId().isPresent() || s.subject() == null) {
            return s;
        }
        return EdxRoster.known(h, s.platformId(), s.subject())
                .map(k -> new ToolSession(s.launchKey(), s.platformId(), s.deploymentId(), s.messageType(), s.subject(),
                        s.name(), s.email(), s.role(), s.roles(), s.contextId(), s.contextLabel(), s.contextTitle(),
                        s.resourceLinkId(), s.resourceLinkTitle(), s.locale(), k.loginPerson(), s.courseSectionSourcedId(),
                        k.username(), s.openedxCourseKey(), s.services(), s.createdAt(), s.expiresAt()))
                .orElse(s);
    }

    /** The launch's session on the exam's section (the exam link decides the section, not the course mapping). */
    static ToolSession withSection(ToolSession s, String sectionId) {
        return new ToolSession(s.launchKey(), s.platformId(), s.deploymentId(), s.messageType(), s.subject(), s.name(),
                s.email(), s.role(), s.roles(), s.contextId(), s.contextLabel(), s.contextTitle(), s.resourceLinkId(),
                s.resourceLinkTitle(), s.locale(), s.personSourcedId(), sectionId, s.username(), s.openedxCourseKey(),
                s.services(), s.createdAt(), s.expiresAt());
    }
}
