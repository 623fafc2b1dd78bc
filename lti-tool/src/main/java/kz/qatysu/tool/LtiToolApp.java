package kz.qatysu.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import kz.qatysu.database.Database;
import kz.qatysu.tool.admin.AdminHandler;
import kz.qatysu.tool.admin.AdminSessions;
import kz.qatysu.tool.admin.SignInThrottle;
import kz.qatysu.tool.admission.AdmissionApi;
import kz.qatysu.tool.admission.AdmissionPages;
import kz.qatysu.tool.admission.AdmissionRepository;
import kz.qatysu.tool.admission.AdmissionService;
import kz.qatysu.tool.admission.policy.StoredRatingPolicy;
import kz.qatysu.tool.admission.scores.ScoreRepository;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.OpenApiDocument;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.changes.ChangesApi;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.marks.MarkService;
import kz.qatysu.tool.attendance.marks.MarksApi;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.sections.SectionService;
import kz.qatysu.tool.attendance.sections.SectionsApi;
import kz.qatysu.tool.attendance.sessions.ClassSessionRepository;
import kz.qatysu.tool.attendance.sessions.SessionsApi;
import kz.qatysu.tool.attendance.sessions.TimetableService;
import kz.qatysu.tool.attendance.policy.SectionPolicyApi;
import kz.qatysu.tool.attendance.policy.SectionPolicyService;
import kz.qatysu.tool.attendance.policy.StoredPolicySource;
import kz.qatysu.tool.attendance.standing.StandingApi;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import kz.qatysu.tool.attendance.standing.StandingService;
import kz.qatysu.tool.attendance.standing.HeldSessionsRefresh;
import kz.qatysu.tool.locks.CourseLinks;
import kz.qatysu.tool.locks.ExamGateHandler;
import kz.qatysu.tool.locks.LockPublisher;
import kz.qatysu.tool.notify.MailSender;
import kz.qatysu.tool.notify.MoodleMessenger;
import kz.qatysu.tool.notify.NotificationsHandler;
import kz.qatysu.tool.notify.Notifier;
import kz.qatysu.tool.notify.Outbox;
import kz.qatysu.tool.lti.advantage.AssignmentsGrades;
import kz.qatysu.tool.lti.advantage.NamesRoles;
import kz.qatysu.tool.lti.advantage.ServiceTokens;
import kz.qatysu.tool.course.CourseHandler;
import kz.qatysu.tool.course.roster.RosterHandler;
import kz.qatysu.tool.course.roster.RosterImport;
import kz.qatysu.tool.course.mapping.CourseMappingHandler;
import kz.qatysu.tool.course.mapping.CourseMappingRepository;
import kz.qatysu.tool.course.mapping.CourseMappingService;
import kz.qatysu.tool.course.CourseReader;
import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.checkin.CheckinHandler;
import kz.qatysu.tool.checkin.CheckinRoutes;
import kz.qatysu.tool.checkin.CheckinService;
import kz.qatysu.tool.checkin.RollCallHandler;
import kz.qatysu.tool.checkin.RollCallService;
import kz.qatysu.tool.deans.AdminAudit;
import kz.qatysu.tool.deans.AdminGate;
import kz.qatysu.tool.deans.DeansHandler;
import kz.qatysu.tool.deans.TokensApi;
import kz.qatysu.tool.excuses.ExcuseDocuments;
import kz.qatysu.tool.excuses.ExcuseRepository;
import kz.qatysu.tool.excuses.ExcuseService;
import kz.qatysu.tool.excuses.ExcusesHandler;
import kz.qatysu.tool.reports.GroupReports;
import kz.qatysu.tool.reports.GroupReportsHandler;
import kz.qatysu.tool.reports.PersonNames;
import kz.qatysu.tool.reports.ReportService;
import kz.qatysu.tool.reports.ReportsHandler;
import kz.qatysu.tool.lti.deeplinking.DeepLinkingHandler;
import kz.qatysu.tool.lti.jwks.PlatformKeySets;
import kz.qatysu.tool.lti.keys.KeysApi;
import kz.qatysu.tool.lti.keys.ToolKeys;
import kz.qatysu.tool.lti.launch.LaunchHandler;
import kz.qatysu.tool.lti.launch.LaunchValidator;
import kz.qatysu.tool.lti.login.LoginHandler;
import kz.qatysu.tool.lti.login.NonceRepository;
import kz.qatysu.tool.lti.login.SignedStates;
import kz.qatysu.tool.lti.platforms.PlatformRepository;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.platforms.PlatformsApi;
import kz.qatysu.tool.lti.registration.DynamicRegistration;
import kz.qatysu.tool.lti.registration.RegistrationCodes;
import kz.qatysu.tool.lti.registration.RegistrationHandler;
import kz.qatysu.tool.lti.registration.RegistrationsApi;
import kz.qatysu.tool.lti.session.SessionRepository;
import kz.qatysu.tool.lti.session.Sessions;
import kz.qatysu.tool.lti.session.ToolSession;
import kz.qatysu.tool.web.HttpErrors;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import kz.qatysu.tool.web.ClientAddress;
import kz.qatysu.tool.web.SecurityHeaders;
import kz.qatysu.tool.web.ServerTiming;
import kz.qatysu.tool.web.UploadSlots;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpSettings;
import kz.qatysu.connectors.videoconf.BigBlueButtonAnalytics;
import kz.qatysu.connectors.videoconf.ZoomClient;
import kz.qatysu.tool.attendance.evidence.EvidenceHandler;
import kz.qatysu.tool.attendance.evidence.EvidenceRepository;
import kz.qatysu.tool.attendance.evidence.EvidenceService;
import kz.qatysu.tool.attendance.evidence.VideoconfSettings;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The LTI tool's one wiring class: settings → database → repositories → services → handlers → routes, all with
 * {@code new}. {@link #javalin()} returns an unstarted app, so tests start it on port 0.
 */
public final class LtiToolApp {
    private static final Logger log = LoggerFactory.getLogger(LtiToolApp.class);
    /** A monitoring window silent this long (it beats every 5 s) gets HEARTBEAT_GAP in its attempt's log. */
    static final Duration PROCTORING_HEARTBEAT_GAP = Duration.ofSeconds(30);
    /**
     * How often the heartbeats a node heard are written (one statement for all, instead of a committed UPDATE each:
     * 80 a second at 400 examinees); the gap checks take it as slack, a crash loses at most this much of last-seen times.
     */
    static final Duration PROCTORING_HEARTBEAT_FLUSH = Duration.ofSeconds(2);

    private final ToolSettings settings;
    private final Clock clock;
    private final ObjectMapper json;
    private final PlatformService platforms;
    private final ToolKeys toolKeys;
    private final ApiAuth apiAuth;
    private final Sessions sessions;
    private final NonceRepository nonces;
    private final SignedStates signedStates;
    private final AdminSessions adminSessions;
    private final Routes routes;
    private final CourseLinks courseLinks;
    private final LockPublisher lockPublisher;
    private final kz.qatysu.tool.proctoring.results.ProctoringScores proctoringScores;
    private final Notifier notifier;
    private final ScheduledExecutorService housekeeping;
    private final HeldSessionsRefresh heldSessionsRefresh;
    private final AdmissionService admission;
    private final ClientAddress clientAddress;
    private final kz.qatysu.tool.proctoring.media.ProctoringMedia proctoringMedia;
    private final kz.qatysu.tool.proctoring.analysis.FaceAnalysis faceAnalysis;
    private final UploadSlots uploadSlots;
    private final kz.qatysu.tool.proctoring.exams.ExamRepository proctoredExams;
    private final kz.qatysu.tool.proctoring.attempts.AttemptService proctoringAttempts;
    private final kz.qatysu.tool.proctoring.lms.openedx.OpenEdxProctoring openedxProctoring;
    private final kz.qatysu.tool.proctoring.lms.openedx.AcsOutbox acsOutbox;
    private final kz.qatysu.tool.proctoring.lms.moodle.QuizGate quizGate;
    private final kz.qatysu.tool.observe.ToolMetrics metrics = new kz.qatysu.tool.observe.ToolMetrics();
    private final kz.qatysu.tool.observe.RequestIds requestIds;
    /** Jobs of the housekeeping timer that post to an LMS: run by one node at a time (docs/OPERATIONS.md "Several nodes"). */
    private final kz.qatysu.tool.cluster.ClusterLock quizGateLock;
    private final kz.qatysu.tool.cluster.ClusterLock openedxLock;
    private Javalin javalin;

    private LtiToolApp(ToolSettings settings, Database database, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Jdbi jdbi = database.jdbi();
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        URI publicUrl = settings.process().publicUrl();
        Messages defaultMessages = Messages.of(settings.defaultLanguage());
        Messages.showTimesIn(settings.timeZone());
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();

        // repositories
        PlatformRepository platformRepository = new PlatformRepository(jdbi);
        this.nonces = new NonceRepository(jdbi);
        SessionRepository sessionRepository = new SessionRepository(jdbi);

        // services
        this.platforms = new PlatformService(platformRepository, clock);
        kz.qatysu.tool.lti.keys.KeyEncryption keyEncryption =
                kz.qatysu.tool.lti.keys.KeyEncryption.from(settings.keyEncryptionKey(), settings.process().dataDir());
        this.toolKeys = new ToolKeys(jdbi, clock, settings.keyRotationGrace(), keyEncryption);
        // the login state's HMAC key: shared by every node through the database, sealed like the signing keys
        this.signedStates = SignedStates.load(jdbi, keyEncryption);
        this.apiAuth = new ApiAuth(settings.process().adminToken(), jdbi);
        this.sessions = new Sessions(sessionRepository, clock, settings.sessionLifetime(), settings.secureCookies());
        PlatformKeySets keySets = new PlatformKeySets(http, clock, settings.jwksCacheTtl(), settings.jwksMinRefetch(), settings.httpTimeout());
        LaunchValidator validator = new LaunchValidator(keySets, clock, settings.clockSkew());
        Pages pages = new Pages();
        RegistrationCodes registrationCodes = new RegistrationCodes(jdbi, clock, publicUrl);
        DynamicRegistration dynamicRegistration = new DynamicRegistration(registrationCodes, platformRepository, platforms,
                http, settings.httpTimeout(), publicUrl, json);
        this.adminSessions = new AdminSessions(jdbi, clock, settings.secureCookies(), settings.process().adminToken());
        // the browser's address behind the reverse proxies of http.trustedProxies (admin sign-in, check-in IP ranges)
        this.clientAddress = new ClientAddress(settings.security().trustedProxies());

        // attendance: one write path (AttendanceWrites), standing recomputed inside every write's transaction.
        // The policy: the institution's (attendance.policy.*) with each section's stored overrides; the store is
        // built first because StandingService takes it.
        AttendanceWrites attendanceWrites = new AttendanceWrites(jdbi);
        SectionRepository sectionRepository = new SectionRepository();
        ClassSessionRepository classSessionRepository = new ClassSessionRepository();
        ChangeFeed changeFeed = new ChangeFeed(jdbi, defaultMessages);
        StoredPolicySource policySource = new StoredPolicySource(jdbi, settings.institutionPolicy());
        StandingRepository standingRepository = new StandingRepository(metrics::standingTransition);
        // exam admission: the final exam gate (attendance + the rating rule, admission.*) recomputed with the standing
        this.admission = new AdmissionService(attendanceWrites, sectionRepository, standingRepository,
                new ScoreRepository(), new AdmissionRepository(), new StoredRatingPolicy(settings.rating()), clock);
        StandingService standing = new StandingService(attendanceWrites, standingRepository, sectionRepository,
                changeFeed, policySource, clock, admission);
        // the one store of people's names: the portal's (with the rosters), else launches' and NRPS rosters'
        PersonDirectory personDirectory = new PersonDirectory(jdbi, clock);
        SectionService sectionService = new SectionService(attendanceWrites, sectionRepository, standing, personDirectory);
        TimetableService timetableService = new TimetableService(attendanceWrites, sectionRepository, classSessionRepository, standing);
        SectionPolicyService sectionPolicy = new SectionPolicyService(attendanceWrites, sectionRepository, policySource, standing);
        MarkRepository markRepository = new MarkRepository();
        ExcuseRepository excuseRepository = new ExcuseRepository();
        MarkService markService = new MarkService(attendanceWrites, classSessionRepository, sectionRepository, markRepository,
                changeFeed, standing, clock, settings.markEditLockDays(), excuseRepository::approvedCovering);
        Routes.Attendance attendance = new Routes.Attendance(
                new SectionsApi(sectionService, apiAuth, json, clock),
                new SessionsApi(timetableService, apiAuth, json, clock),
                new MarksApi(markService, apiAuth, json, clock),
                new StandingApi(standing, apiAuth, json, clock, defaultMessages),
                new ChangesApi(changeFeed, apiAuth),
                new SectionPolicyApi(sectionPolicy, apiAuth, json, clock));

        this.heldSessionsRefresh = new HeldSessionsRefresh(attendanceWrites, standing, policySource, clock, Duration.ofDays(7));

        // locks: the "Attendance admission" score in each course's gradebook follows the standing
        Duration serviceTimeout = settings.httpTimeout().multipliedBy(2);
        ServiceTokens serviceTokens = new ServiceTokens(http, toolKeys, clock, serviceTimeout);
        this.courseLinks = new CourseLinks(jdbi);
        NamesRoles namesRoles = new NamesRoles(http, serviceTokens, serviceTimeout);
        AssignmentsGrades assignmentsGrades = new AssignmentsGrades(http, serviceTokens, serviceTimeout);
        this.lockPublisher = new LockPublisher(jdbi, courseLinks, platforms, assignmentsGrades, namesRoles, clock);
        // proctoring results back: the verdict (and, for grade-restricted quizzes, "check passed") in the same gradebooks
        this.proctoringScores = new kz.qatysu.tool.proctoring.results.ProctoringScores(jdbi, courseLinks,
                new kz.qatysu.tool.locks.CourseSubjects(courseLinks, namesRoles), platforms, assignmentsGrades,
                settings.proctoringResults(), clock);
        // dean's office: excuses (approval writes EXCUSED marks through MarkService), overrides, tokens, reports
        // staff as people: roles granted to person ids; their sessions are admin-area sessions of a person
        kz.qatysu.tool.staff.StaffDirectory staffDirectory = new kz.qatysu.tool.staff.StaffDirectory(jdbi, clock);
        kz.qatysu.tool.staff.StaffSessions staffSessions = new kz.qatysu.tool.staff.StaffSessions(adminSessions, staffDirectory, jdbi, clock);
        AdminGate adminGate = new AdminGate(adminSessions, defaultMessages, staffSessions);
        AdminAudit adminAudit = new AdminAudit(jdbi, json);
        PersonNames personNames = new PersonNames(personDirectory);
        this.proctoringMedia = kz.qatysu.tool.proctoring.media.ProctoringMedia.of(jdbi, settings.proctoringMedia(), clock);
        // excuse documents live in the media store (shared by every node), encrypted with the media key
        ExcuseDocuments excuseDocuments = new ExcuseDocuments(settings.process().dataDir(), settings.uploadsMaxBytes(),
                settings.proctoringMedia().store(), settings.proctoringMedia().cipher());
        ExcuseService excuses = new ExcuseService(attendanceWrites, excuseRepository, sectionRepository, markService,
                markRepository, excuseDocuments, clock, settings.excuseDecisionDays());
        Routes.DeansOffice deansOffice = new Routes.DeansOffice(
                new ExcusesHandler(excuses, excuseDocuments, sessions, adminGate, personNames, pages),
                new DeansHandler(standing, adminGate, personNames, adminAudit, jdbi, pages, clock, sectionPolicy),
                new TokensApi(apiAuth, json, adminAudit),
                new ReportsHandler(new ReportService(jdbi, personNames), sessions, adminGate, personNames, pages));
        GroupReportsHandler groupReports = new GroupReportsHandler(new GroupReports(jdbi, personNames),
                deansOffice.reports(), adminGate, pages);

        // courses that launched without a portal section code, mapped by the dean's office later
        CourseMappingRepository courseMappings = new CourseMappingRepository(jdbi);
        CourseMappingHandler courseMapping = new CourseMappingHandler(
                new CourseMappingService(attendanceWrites, courseMappings, sectionRepository, changeFeed, standing, clock),
                courseMappings, adminGate, adminAudit, apiAuth, json, pages);
        // the Moodle sites' web services (moodle[i]): the warnings' messages and the quiz gate share one client
        kz.qatysu.tool.moodle.MoodleWebService moodleWs = new kz.qatysu.tool.moodle.MoodleWebService(http, serviceTimeout, json);
        // warnings by Moodle message and e-mail: an outbox filled from the standing history (notify.*)
        this.notifier = new Notifier(settings.warnings(), new Outbox(jdbi), settings.warnings().smtp().map(MailSender::new),
                new MoodleMessenger(moodleWs), defaultMessages, clock);
        // online attendance evidence: BBB analytics callback, Zoom report import, CSV upload → proposals → marks
        CourseReader courseReader = new CourseReader(jdbi, sectionRepository, classSessionRepository, markRepository, standingRepository);
        EvidenceService evidence = evidenceService(attendanceWrites, classSessionRepository, markRepository, markService);
        // proctoring: the face analysis (a bounded pool; OpenCV and the models load on first use)
        this.faceAnalysis = new kz.qatysu.tool.proctoring.analysis.FaceAnalysis(settings.faceAnalysis());
        // proctored exams and their attempts: consent → checks → monitoring → end, face events, verdicts
        this.proctoredExams = new kz.qatysu.tool.proctoring.exams.ExamRepository(jdbi);
        this.proctoringAttempts = new kz.qatysu.tool.proctoring.attempts.AttemptService(jdbi,
                new kz.qatysu.tool.proctoring.attempts.AttemptRepository(jdbi), proctoringMedia,
                new kz.qatysu.tool.proctoring.media.RecordingUploads(proctoringMedia), faceAnalysis, clock,
                PROCTORING_HEARTBEAT_GAP, PROCTORING_HEARTBEAT_FLUSH);

        this.uploadSlots = new UploadSlots(settings.httpLimits(), clientAddress);
        // Open edX LTI Proctoring Services: LtiStartProctoring → the exam gate and checks → LtiStartAssessment;
        // LtiEndAssessment ends the attempt; ACS terminate/flag through a durable outbox
        kz.qatysu.tool.proctoring.lms.openedx.OpenEdxRepository openedxRepository =
                new kz.qatysu.tool.proctoring.lms.openedx.OpenEdxRepository(jdbi);
        this.openedxProctoring = new kz.qatysu.tool.proctoring.lms.openedx.OpenEdxProctoring(openedxRepository,
                proctoredExams, proctoringAttempts, admission, platforms, toolKeys, clock);
        this.acsOutbox = new kz.qatysu.tool.proctoring.lms.openedx.AcsOutbox(jdbi, platforms, serviceTokens, http,
                serviceTimeout, json, clock);
        // proctoring inside Moodle: the quiz gate (per-student quiz overrides, an outbox retried by the housekeeping)
        kz.qatysu.tool.proctoring.lms.moodle.MoodleQuizzes moodleQuizzes = new kz.qatysu.tool.proctoring.lms.moodle.MoodleQuizzes(moodleWs);
        kz.qatysu.tool.proctoring.lms.moodle.QuizMappings quizMappings =
                new kz.qatysu.tool.proctoring.lms.moodle.QuizMappings(jdbi, keyEncryption);
        this.quizGate = new kz.qatysu.tool.proctoring.lms.moodle.QuizGate(jdbi, quizMappings, moodleQuizzes, moodleWs,
                settings.moodle(), platforms, keyEncryption, clock);
        kz.qatysu.tool.proctoring.lms.moodle.QuizGateService quizGateService = new kz.qatysu.tool.proctoring.lms.moodle.QuizGateService(
                quizMappings, moodleQuizzes, settings.moodle(), platforms, adminAudit, clock);
        // observability: /health, /ready, /metrics (scope metrics), request ids (docs/OPERATIONS.md "Observability")
        this.requestIds = new kz.qatysu.tool.observe.RequestIds(settings.security().trustedProxies());
        this.quizGateLock = new kz.qatysu.tool.cluster.ClusterLock(jdbi, "moodle.quiz-gate");
        this.openedxLock = new kz.qatysu.tool.cluster.ClusterLock(jdbi, "openedx.supervision");
        metrics.watchDatabase(jdbi, faceAnalysis::queued);
        metrics.watchPool(database.dataSource());
        kz.qatysu.tool.observe.ObservabilityHandler observe = new kz.qatysu.tool.observe.ObservabilityHandler(metrics,
                new kz.qatysu.tool.observe.Readiness(database.dataSource(), new kz.qatysu.database.Migrations(database.dataSource(), "tool"),
                        faceAnalysis::loaded, faceAnalysis::warmUpInBackground), apiAuth);

        // handlers
        // an exam's Open edX page (its links; edx-exams' roster), where edx-exams' Instructor Tool launch also lands
        kz.qatysu.tool.proctoring.lms.openedx.OpenEdxHandler openedxPages = new kz.qatysu.tool.proctoring.lms.openedx.OpenEdxHandler(
                openedxProctoring, new kz.qatysu.tool.proctoring.lms.openedx.ExamLinking(openedxRepository,
                proctoredExams, platforms, adminAudit, clock), proctoringAttempts, sessions, adminGate, apiAuth, json, pages,
                new kz.qatysu.tool.proctoring.lms.openedx.EdxRoster(jdbi, adminAudit, clock));
        this.routes = new Routes(
                new HttpErrors(pages, defaultMessages, ctx -> sessions.underPath(ctx).map(ToolSession::messages)),
                new SecurityHeaders(platforms, "https".equals(publicUrl.getScheme())),
                new ServerTiming(),
                new LoginHandler(platforms, signedStates, pages, clock, publicUrl.resolve("/lti/launch"),
                        settings.stateLifetime(), settings.secureCookies(), defaultMessages),
                new LaunchHandler(jdbi, signedStates, nonces, platforms, validator, sessions, courseLinks, clock,
                        settings.clockSkew().plus(Duration.ofHours(2)), defaultMessages, personDirectory,
                        openedxProctoring),
                new KeysApi(toolKeys, apiAuth),
                new PlatformsApi(platforms, apiAuth, json),
                new CourseHandler(sessions, pages, courseReader,
                        personDirectory, sectionService, timetableService, markService, clock, evidence, openedxPages::landing),
                new DeepLinkingHandler(sessions, platforms, toolKeys, pages, clock, publicUrl.resolve("/lti/launch"), proctoredExams),
                new RegistrationHandler(dynamicRegistration, registrationCodes, pages, defaultMessages,
                        settings.openDynamicRegistration(), settings.secureCookies()),
                new RegistrationsApi(registrationCodes, apiAuth, json),
                new AdminHandler(adminSessions, new SignInThrottle(clock), clientAddress, apiAuth, platforms, registrationCodes, pages,
                        defaultMessages, settings.secureCookies(), settings.openDynamicRegistration(), staffSessions,
                        settings.oidc().isPresent(), proctoredExams::proctoredBy),
                attendance,
                new OpenApiDocument(),
                new ExamGateHandler(sessions, standing, lockPublisher, pages, admission, personNames),
                checkinRoutes(jdbi, classSessionRepository, sectionRepository, markRepository, markService, pages, publicUrl,
                        personDirectory),
                deansOffice, courseMapping,
                new NotificationsHandler(notifier, adminGate, pages),
                new EvidenceHandler(evidence, sessions, personDirectory, pages, publicUrl, settings.videoconf().csvMaxBytes(), clock),
                groupReports,
                new RosterHandler(new RosterImport(platforms, namesRoles, sectionService, courseReader, personDirectory,
                        courseLinks, clock), sessions, pages),
                new AdmissionApi(admission, apiAuth, json, clock),
                uploadSlots,
                new AdmissionPages(admission, sessions, adminGate, personNames, adminAudit, deansOffice.reports(), pages, clock),
                new kz.qatysu.tool.proctoring.analysis.AnalysisApi(faceAnalysis, apiAuth, settings.uploadsMaxBytes()),
                staffRoutes(jdbi, staffSessions, adminAudit, pages, defaultMessages, http, publicUrl,
                        // advisers: their own students' standing across sections (the portal's adviser links)
                        new kz.qatysu.tool.advisers.AdvisersHandler(adminSessions, staffSessions, adminGate,
                                new kz.qatysu.tool.advisers.Advisees(jdbi, standingRepository, personDirectory), pages)),
                new kz.qatysu.tool.proctoring.examinee.ExamineeRoutes(new kz.qatysu.tool.proctoring.examinee.ExamineeHandler(
                        sessions, proctoredExams, proctoringAttempts,
                        new kz.qatysu.tool.proctoring.media.RecordingUploads(proctoringMedia), admission,
                        new kz.qatysu.tool.proctoring.examinee.WindowTokens(jdbi, sessionRepository, clock),
                        settings.proctoringMedia(), pages, json, clock, openedxRepository::endRequestedFor,
                        this::proctoringStarted), uploadSlots),
                proctorSide(jdbi, adminGate, adminAudit, pages, staffSessions),
                new kz.qatysu.tool.backup.BackupsApi(new kz.qatysu.tool.backup.ToolBackup(settings, database.dataSource(), clock),
                        apiAuth, json, adminAudit, settings.backup().includeKeys()),
                new kz.qatysu.tool.proctoring.lms.openedx.OpenEdxRoutes(openedxPages),
                new Routes.LmsSide(new kz.qatysu.tool.proctoring.lms.moodle.QuizGateHandler(quizGateService, quizGate, sessions,
                        proctoredExams, proctoringAttempts.repository(), apiAuth, json),
                        new kz.qatysu.tool.proctoring.results.VerdictsApi(new kz.qatysu.tool.proctoring.results.VerdictFeed(jdbi),
                                apiAuth, settings.proctoringResults()),
                        // the exam's Moodle quiz on pages; where its results went (teachers, dean's office, API)
                        new kz.qatysu.tool.proctoring.lms.moodle.QuizPages(quizGateService, proctoredExams, platforms,
                                settings.moodle(), sessions, adminGate, pages),
                        new kz.qatysu.tool.proctoring.results.DeliveryPages(new kz.qatysu.tool.proctoring.results.DeliveryStatus(
                                jdbi, adminAudit, clock), proctoredExams, sessions, adminGate, apiAuth, pages)),
                new kz.qatysu.tool.deans.UnmarkedSessions(adminGate, jdbi, personNames, pages, clock),
                observe);

        // two threads: a slow SMTP server or Moodle (bounded by their timeouts) must not hold up the admission
        // scores; each task runs with a fixed delay, so it never overlaps itself
        java.util.concurrent.atomic.AtomicInteger workers = new java.util.concurrent.atomic.AtomicInteger();
        this.housekeeping = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "qatysu-housekeeping-" + workers.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Exams (course pages, admin pages, API), attempt review, a person's data: the teachers', dean's office's, proctors' side. */
    private Routes.ProctorSide proctorSide(Jdbi jdbi, AdminGate adminGate, AdminAudit adminAudit, Pages pages,
                                          kz.qatysu.tool.staff.StaffSessions staffSessions) {
        kz.qatysu.tool.proctoring.exams.ExamService exams = new kz.qatysu.tool.proctoring.exams.ExamService(jdbi,
                proctoredExams, adminAudit, clock);
        kz.qatysu.tool.proctoring.review.ProctorAccess access = new kz.qatysu.tool.proctoring.review.ProctorAccess(sessions,
                adminSessions, adminGate, proctoredExams, staffSessions);
        kz.qatysu.tool.proctoring.review.AttemptList attemptList = new kz.qatysu.tool.proctoring.review.AttemptList(jdbi);
        kz.qatysu.tool.proctoring.review.PersonData persons = new kz.qatysu.tool.proctoring.review.PersonData(proctoringMedia,
                proctoringAttempts.repository(), adminAudit, json, jdbi);
        return new Routes.ProctorSide(
                new kz.qatysu.tool.proctoring.exams.ExamsApi(exams, apiAuth, json, jdbi),
                new kz.qatysu.tool.proctoring.exams.ExamPages(exams, sessions, adminGate, pages, settings.timeZone(), jdbi),
                new kz.qatysu.tool.proctoring.review.ReviewApi(proctoringAttempts, attemptList, access, persons, apiAuth, json,
                        adminAudit),
                new kz.qatysu.tool.proctoring.review.ReviewPages(access, proctoringAttempts, attemptList, proctoringMedia,
                        persons, adminGate, adminAudit, pages, settings.timeZone()));
    }

    private CheckinRoutes checkinRoutes(Jdbi jdbi, ClassSessionRepository classSessions, SectionRepository sections,
                                       MarkRepository markRepository, MarkService marks, Pages pages, URI publicUrl,
                                       PersonDirectory personDirectory) {
        CheckinService checkins = new CheckinService(jdbi, classSessions, sections, markRepository, marks, clock,
                settings.security().checkinMaxWrongCodes());
        RollCallService rollCalls = new RollCallService(jdbi, sections, markRepository, marks, clock);
        CheckinHandler handler = new CheckinHandler(checkins, rollCalls, sessions, pages, publicUrl, settings.secureCookies(),
                clientAddress, personDirectory);
        return new CheckinRoutes(handler, new RollCallHandler(rollCalls, handler, sessions, pages));
    }

    private kz.qatysu.tool.staff.StaffRoutes staffRoutes(Jdbi jdbi, kz.qatysu.tool.staff.StaffSessions staff, AdminAudit audit,
                                                        Pages pages, Messages defaultMessages, HttpClient http, URI publicUrl,
                                                        kz.qatysu.tool.advisers.AdvisersHandler advisers) {
        kz.qatysu.tool.staff.StaffHandler handler = new kz.qatysu.tool.staff.StaffHandler(adminSessions, staff, sessions, audit,
                pages, defaultMessages);
        Optional<kz.qatysu.tool.staff.OidcClient> oidc = settings.oidc().map(o -> new kz.qatysu.tool.staff.OidcClient(o, http,
                settings.httpTimeout(), json, clock, settings.clockSkew()));
        return new kz.qatysu.tool.staff.StaffRoutes(handler, new kz.qatysu.tool.staff.StaffApi(apiAuth, json, staff.directory(), handler),
                new kz.qatysu.tool.staff.OidcHandler(oidc, jdbi, staff.directory(), handler, publicUrl, clock, settings.secureCookies()),
                advisers);
    }

    private EvidenceService evidenceService(AttendanceWrites writes, ClassSessionRepository classSessions, MarkRepository marks,
                                            MarkService markService) {
        VideoconfSettings v = settings.videoconf();
        Optional<BigBlueButtonAnalytics> bbb = v.bbbSecret().map(secret -> new BigBlueButtonAnalytics(secret, clock));
        Optional<ZoomClient> zoom = v.zoom().map(z -> new ZoomClient(
                new HttpConnector(HttpSettings.defaults("zoom", z.apiUrl()).withRetries(3, Duration.ofSeconds(1), Duration.ofSeconds(30))),
                new HttpConnector(HttpSettings.defaults("zoom-oauth", z.oauthUrl())),
                z.accountId(), z.clientId(), z.clientSecret(), clock));
        return new EvidenceService(writes, new EvidenceRepository(), classSessions, marks, markService, v.policy(), bbb, zoom, clock);
    }

    /** Builds the tool over an open database: makes sure a signing key exists and seeds configured platforms. */
    public static LtiToolApp create(ToolSettings settings, Database database, Clock clock) {
        LtiToolApp app = new LtiToolApp(settings, database, clock);
        app.toolKeys.initialize();
        app.platforms.seed(settings.platforms());
        app.platforms.reload();
        int moved = app.admission.recomputeForInstitutionPolicy();
        if (moved > 0) {
            log.info("exam admission: the institution's rating policy (admission.*) changed; {} decision(s) recomputed", moved);
        }
        int stored = app.admission.backfill();
        if (stored > 0) {
            log.info("exam admission: stored the decisions of {} student(s) who had none", stored);
        }
        if (!app.apiAuth.adminTokenConfigured()) {
            log.warn("admin.token (QATYSU_ADMIN_TOKEN) is not set: the admin API is disabled");
        }
        settings.oidc().ifPresent(o -> log.info("staff sign-in by OpenID Connect: {}", o));
        settings.moodle().warnings().forEach(w -> log.warn("configuration: {}", w));
        if (settings.warnings().anyChannel()) {
            log.info("warnings are sent: {}", settings.warnings());
        }
        log.info("HTTP limits: {}", settings.httpLimits());
        if (!settings.secureCookies()) {
            log.warn("publicUrl {} is plain http on a non-loopback host: cookies cannot be Secure; SameSite=None, "
                    + "so launches inside an LMS iframe will fail. Serve the tool over https.", settings.process().publicUrl());
        }
        return app;
    }

    /** The unstarted web app. */
    public Javalin javalin() {
        if (javalin == null) {
            javalin = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jsonMapper(new JavalinJackson(json, false));
                config.http.maxRequestSize = 10_000_000L;
                // excuse documents: the handler counts bytes itself; this only bounds what Jetty will buffer
                config.jetty.multipartConfig.maxFileSize(settings.uploadsMaxBytes() + 1024L * 1024, io.javalin.config.SizeUnit.BYTES);
                config.jetty.multipartConfig.maxTotalRequestSize(settings.uploadsMaxBytes() + 2L * 1024 * 1024, io.javalin.config.SizeUnit.BYTES);
                settings.httpLimits().apply(config);
                config.routes.before(requestIds::start);
                config.requestLogger.http((ctx, ms) -> {
                    metrics.request(ctx, ms);
                    kz.qatysu.tool.observe.RequestIds.finish();
                });
                routes.register(config);
                config.events.serverStarted(this::startHousekeeping);
                config.events.serverStopping(housekeeping::shutdownNow);
                // after the last request: the heartbeats heard since the last flush (the database is closed after the app)
                config.events.serverStopped(this::flushHeartbeats);
                config.events.serverStopped(faceAnalysis::close);
            });
        }
        return javalin;
    }

    private void startHousekeeping() {
        housekeeping.scheduleWithFixedDelay(this::publishAdmissionScores, 5, 15, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::publishProctoringScores, 10, 15, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::refreshHeldSessions, 30, 300, TimeUnit.SECONDS);
        if (notifier.enabled()) {
            long every = settings.warnings().interval().toMillis();
            housekeeping.scheduleWithFixedDelay(this::deliverWarnings, every, every, TimeUnit.MILLISECONDS);
        }
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                int n = nonces.deleteExpired(clock.instant()) + sessions.deleteExpired() + adminSessions.deleteExpired();
                if (n > 0) {
                    log.debug("housekeeping removed {} expired nonces and sessions", n);
                }
            } catch (RuntimeException e) {
                log.warn("housekeeping failed: {}", e.getMessage());
            }
        }, 1, 5, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(this::purgeProctoringMedia, 10, 24 * 60, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(this::flushHeartbeats, PROCTORING_HEARTBEAT_FLUSH.toMillis(),
                PROCTORING_HEARTBEAT_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::superviseProctoring, 5, 5, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::loadFaceModelsForDueExams, 0, 1, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(this::superviseOpenEdx, 10, 15, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::deliverQuizGate, 5, 5, TimeUnit.SECONDS);
    }

    /**
     * Loads OpenCV and the face models (in the background) at start-up and then every minute when a proctored exam is
     * open or opens within the hour and they are not loaded yet — so the first snapshots of an exam do not wait for
     * the loading (and the JIT of the analysis) and {@code /ready} is up before the examinees arrive. True when it
     * started loading them.
     */
    public boolean loadFaceModelsForDueExams() {
        try {
            if (!faceAnalysis.loaded() && proctoredExams.proctoredOpenOrOpeningWithin(clock.instant(), java.time.Duration.ofHours(1))) {
                log.info("face analysis: a proctored exam is open or opens within the hour: loading the models now");
                faceAnalysis.warmUpInBackground();
                return true;
            }
        } catch (RuntimeException e) {
            log.warn("face analysis: could not check for due proctored exams: {}", e.getMessage());
        }
        return false;
    }

    /** Open edX: ends attempts whose LtiEndAssessment the monitoring window did not finish; sends due ACS actions. */
    public kz.qatysu.tool.proctoring.lms.openedx.AcsOutbox.Pass superviseOpenEdx() {
        try {
            return openedxLock.runIfFree(() -> {
                openedxProctoring.endOverdue();
                return acsOutbox.run(100);
            }).orElse(new kz.qatysu.tool.proctoring.lms.openedx.AcsOutbox.Pass(0, 0, 0));
        } catch (RuntimeException e) {
            log.warn("Open edX proctoring supervision failed: {}", e.getMessage());
            return new kz.qatysu.tool.proctoring.lms.openedx.AcsOutbox.Pass(0, 0, 0);
        }
    }

    /** Open edX LTI Proctoring Services (exam links, the learners' Open edX attempts). */
    public kz.qatysu.tool.proctoring.lms.openedx.OpenEdxProctoring openedxProctoring() {
        return openedxProctoring;
    }

    /** An examinee's monitoring started (the checks are done): the LMS gates learn it (the Moodle quiz override). */
    private void proctoringStarted(kz.qatysu.tool.proctoring.exams.Exam exam, kz.qatysu.tool.proctoring.attempts.Attempt attempt) {
        try {
            quizGate.started(exam, attempt);
        } catch (RuntimeException e) {
            log.warn("quiz gate: attempt {} not queued: {}", attempt.id(), e.getMessage());
        }
    }

    /** Saves due Moodle quiz overrides and closes those of ended attempts (the worker calls it every 5 s). */
    public kz.qatysu.tool.proctoring.lms.moodle.QuizGate.Pass deliverQuizGate() {
        try {
            return quizGateLock.runIfFree(() -> quizGate.deliverDue(200))
                    .orElse(new kz.qatysu.tool.proctoring.lms.moodle.QuizGate.Pass(0, 0, 0));
        } catch (RuntimeException e) {
            log.warn("quiz gate delivery failed: {}", e.getMessage());
            return new kz.qatysu.tool.proctoring.lms.moodle.QuizGate.Pass(0, 0, 0);
        }
    }

    public kz.qatysu.tool.proctoring.lms.moodle.QuizGate quizGate() {
        return quizGate;
    }

    /** Logs silent monitoring windows, abandons attempts left after their exam closed, queues snapshots awaiting analysis. */
    public void superviseProctoring() {
        try {
            proctoringAttempts.flushHeartbeats();
            proctoringAttempts.sweepHeartbeats();
            proctoringAttempts.drainAnalysis();
        } catch (RuntimeException e) {
            log.warn("proctoring supervision failed: {}", e.getMessage());
        }
    }

    /** Writes the monitoring windows' heartbeats this node heard since the last flush (every 2 s and at the stop). */
    public void flushHeartbeats() {
        try {
            proctoringAttempts.flushHeartbeats();
        } catch (RuntimeException e) {
            log.warn("proctoring heartbeats not written (kept for the next flush): {}", e.getMessage());
        }
    }

    /** Proctored exams and their proctors. */
    public kz.qatysu.tool.proctoring.exams.ExamRepository proctoredExams() {
        return proctoredExams;
    }

    /** The examinees' attempts: the examinee's path, face events, the proctor's verdict. */
    public kz.qatysu.tool.proctoring.attempts.AttemptService proctoringAttempts() {
        return proctoringAttempts;
    }

    /** Deletes proctoring media past {@code proctoring.media.retention} (daily; each object audited). */
    public void purgeProctoringMedia() {
        try {
            int n = proctoringMedia.purge();
            if (n > 0) {
                log.info("proctoring media retention: purged {} object(s) older than {}", n, settings.proctoringMedia().retention());
            }
        } catch (RuntimeException e) {
            log.warn("proctoring media purge failed: {}", e.getMessage());
        }
    }

    /** Recomputes the sections counting only sessions held so far in which a session started (every 5 min). */
    public void refreshHeldSessions() {
        try {
            HeldSessionsRefresh.Refreshed r = heldSessionsRefresh.run();
            if (!r.sections().isEmpty()) {
                log.info("sessions started: recomputed {} section(s) counting sessions held so far, {} standing(s) changed",
                        r.sections().size(), r.standingsChanged());
            }
        } catch (RuntimeException e) {
            log.warn("recomputing sections after session starts failed: {}", e.getMessage());
        }
    }

    /** Posts the admission scores that differ from the standing, until none is due (the worker calls it every 15 s). */
    public void publishAdmissionScores() {
        try {
            LockPublisher.Pass pass;
            do {
                pass = lockPublisher.publishDue(500);
                metrics.agsPass(pass.posted(), pass.failed());
            } while (pass.posted() == 500); // a full page was posted: more may be due
        } catch (RuntimeException e) {
            log.warn("publishing admission scores failed: {}", e.getMessage());
        }
    }

    /** Posts the proctoring scores (verdicts, "check passed") not yet posted, until none is due (every 15 s). */
    public void publishProctoringScores() {
        try {
            while (proctoringScores.publishDue(500).posted() == 500) {
                // a full page was posted: more may be due (each pass runs on one node at a time)
            }
        } catch (RuntimeException e) {
            log.warn("publishing proctoring scores failed: {}", e.getMessage());
        }
    }

    public kz.qatysu.tool.proctoring.results.ProctoringScores proctoringScores() {
        return proctoringScores;
    }

    /** Queues new WARNING / LOCKED transitions and sends the due warnings (the worker calls it every notify.interval). */
    public Notifier.Pass deliverWarnings() {
        try {
            return notifier.deliverDue(500);
        } catch (RuntimeException e) {
            log.warn("delivering warnings failed: {}", e.getMessage());
            return new Notifier.Pass(0, 0, 0, 0);
        }
    }

    /** The proctoring face analysis (its pool is closed when the server stops). */
    public kz.qatysu.tool.proctoring.analysis.FaceAnalysis faceAnalysis() {
        return faceAnalysis;
    }

    /** The caps on uploads handled at once ({@code http.maxConcurrentUploads*}). */
    public UploadSlots uploadSlots() {
        return uploadSlots;
    }

    /** The Prometheus metrics ({@code GET /metrics}). */
    public kz.qatysu.tool.observe.ToolMetrics metrics() {
        return metrics;
    }

    public LockPublisher lockPublisher() {
        return lockPublisher;
    }

    public ToolSettings settings() {
        return settings;
    }

    public PlatformService platforms() {
        return platforms;
    }

    public ToolKeys toolKeys() {
        return toolKeys;
    }

    public ApiAuth apiAuth() {
        return apiAuth;
    }

    public Sessions sessions() {
        return sessions;
    }

    public ObjectMapper json() {
        return json;
    }
}
