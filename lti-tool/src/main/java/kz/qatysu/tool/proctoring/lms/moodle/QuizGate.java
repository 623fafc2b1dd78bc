package kz.qatysu.tool.proctoring.lms.moodle;

import kz.qatysu.tool.lti.keys.KeyEncryption;
import kz.qatysu.tool.lti.platforms.Platform;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.moodle.MoodleException;
import kz.qatysu.tool.moodle.MoodleSettings;
import kz.qatysu.tool.moodle.MoodleSite;
import kz.qatysu.tool.moodle.MoodleWebService;
import kz.qatysu.tool.notify.MoodleMessenger;
import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Moodle quiz gate, QUIZ_OVERRIDE mode: when an examinee's monitoring has started (the checks are done,
 * {@code AttemptService.start} succeeded) {@link #started} queues a per-student quiz override with a fresh random
 * password, open from now to the exam's close; {@link #deliverDue} saves it in Moodle, and closes it (timeclose = now,
 * every field resent, never deleted: a deleted override falls back to the quiz's own settings) once the attempt ended,
 * was abandoned, or the exam closed. The rows of {@code proctoring_quiz_override} are the outbox: a failed call is
 * retried with exponential backoff and its reason is kept for the teacher. The password is stored sealed and is
 * only ever returned by {@link #password} for the attempt's own examinee; it is never logged.
 */
public final class QuizGate {
    private static final Logger log = LoggerFactory.getLogger(QuizGate.class);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(15);
    /** Moodle's clock may be a little behind ours: the override opens this much before now. */
    static final Duration OPEN_EARLY = Duration.ofMinutes(1);
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final QuizMappings mappings;
    private final MoodleQuizzes quizzes;
    private final MoodleWebService ws;
    private final MoodleSettings moodle;
    private final PlatformService platforms;
    private final KeyEncryption sealing;
    private final Clock clock;

    public QuizGate(Jdbi jdbi, QuizMappings mappings, MoodleQuizzes quizzes, MoodleWebService ws, MoodleSettings moodle,
                    PlatformService platforms, KeyEncryption sealing, Clock clock) {
        this.jdbi = jdbi;
        this.mappings = mappings;
        this.quizzes = quizzes;
        this.ws = ws;
        this.moodle = moodle;
        this.platforms = platforms;
        this.sealing = sealing;
        this.clock = clock;
    }

    /** The exam ↔ quiz mappings the gate reads. */
    public QuizMappings mappings() {
        return mappings;
    }

    /** The gate refused: the attempt's checks are not done (the monitoring has not started). */
    public static final class NotCleared extends RuntimeException {
        NotCleared(String message) {
            super(message);
        }
    }

    /**
     * The examinee's monitoring started (or resumed): for a QUIZ_OVERRIDE exam, queue the student's override unless
     * one exists. An attempt that is not {@code IN_PROGRESS} has not cleared the checks: {@link NotCleared}.
     */
    public void started(Exam exam, Attempt attempt) {
        Optional<QuizMapping> mapping = mappings.find(exam.id());
        if (mapping.isEmpty() || mapping.get().mode() != GateMode.QUIZ_OVERRIDE) {
            return;
        }
        if (attempt.state() != AttemptState.IN_PROGRESS) {
            throw new NotCleared("attempt " + attempt.id() + " is " + attempt.state() + ": no quiz override before the checks");
        }
        Instant now = clock.instant();
        long open = now.minus(OPEN_EARLY).getEpochSecond();
        long close = Math.max(exam.closesAt().getEpochSecond(), open + 60);
        String password = newPassword();
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_quiz_override (attempt_id, exam_id, person_id, platform_id, quiz_id, password,
                                                              time_open, time_close, state, created_at, updated_at)
                        VALUES (:a, :e, :person, :p, :q, :pw, :open, :close, 'OPENING', :now, :now)
                        ON CONFLICT (attempt_id) DO NOTHING""")
                .bind("a", attempt.id()).bind("e", exam.id()).bind("person", attempt.personId())
                .bind("p", mapping.get().platformId()).bind("q", mapping.get().quizId())
                .bind("pw", sealing.seal(aad(attempt.id()), password)).bind("open", open).bind("close", close)
                .bind("now", Utc.of(now)).execute());
        if (n > 0) {
            log.info("quiz gate: override of quiz {} queued for attempt {}", mapping.get().quizId(), attempt.id());
        }
    }

    /** What the examinee's window shows: the password only while the override is open in Moodle. */
    public record Status(String state, Optional<String> password, Optional<String> lastError) {
    }

    /** The attempt's override state and, while OPEN, its password (for the attempt's own examinee only). */
    public Optional<Status> status(String attemptId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state, password, last_error FROM proctoring_quiz_override WHERE attempt_id = :a")
                .bind("a", attemptId)
                .map((rs, c) -> new Status(rs.getString(1), "OPEN".equals(rs.getString(1))
                        ? Optional.of(sealing.open(aad(attemptId), rs.getString(2))) : Optional.empty(),
                        Optional.ofNullable(rs.getString(3))))
                .findOne());
    }

    /** One override row as the exam's Moodle page lists it (no password). */
    public record Row(String attemptId, String personId, String state, Long moodleUserId, Long overrideId, int attempts,
                      String lastError, Instant nextAttemptAt) {
    }

    public List<Row> rows(String examId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT attempt_id, person_id, state, moodle_user_id, override_id, attempts, last_error, next_attempt_at
                        FROM proctoring_quiz_override WHERE exam_id = :e ORDER BY created_at""")
                .bind("e", examId)
                .map((rs, c) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), (Long) rs.getObject(4),
                        (Long) rs.getObject(5), rs.getInt(6), rs.getString(7),
                        rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant()))
                .list());
    }

    /** What one pass did. */
    public record Pass(int opened, int closed, int failed) {
    }

    /** Marks overrides whose attempt ended or whose exam closed for closing, then saves / closes what is due. */
    public synchronized Pass deliverDue(int limit) {
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE proctoring_quiz_override o SET state = 'CLOSING', attempts = 0, next_attempt_at = NULL,
                               last_error = NULL, updated_at = :now
                        FROM proctoring_attempt a, proctored_exam e
                        WHERE a.id = o.attempt_id AND e.id = o.exam_id AND o.state IN ('OPENING', 'OPEN')
                          AND (a.state <> 'IN_PROGRESS' OR e.closes_at <= :now)""")
                .bind("now", Utc.of(now)).execute());
        List<Due> due = jdbi.withHandle(h -> h.createQuery("""
                        SELECT o.attempt_id, o.person_id, o.platform_id, o.quiz_id, o.moodle_user_id, o.override_id, o.password,
                               o.time_open, o.time_close, o.state, o.attempts
                        FROM proctoring_quiz_override o
                        WHERE o.state IN ('OPENING', 'CLOSING') AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= :now)
                        ORDER BY o.state DESC, o.created_at LIMIT :limit""")
                .bind("now", Utc.of(now)).bind("limit", limit)
                .map((rs, c) -> new Due(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), (Long) rs.getObject(5),
                        (Long) rs.getObject(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getInt(11)))
                .list());
        int opened = 0;
        int closed = 0;
        int failed = 0;
        for (Due d : due) {
            try {
                if (d.state.equals("OPENING")) {
                    open(d);
                    opened++;
                } else {
                    close(d, now);
                    closed++;
                }
            } catch (MoodleException | GateProblem e) {
                failed++;
                failure(d, e.getMessage(), now);
            }
        }
        if (opened + closed + failed > 0) {
            log.info("quiz gate: {} override(s) opened, {} closed, {} failed", opened, closed, failed);
        }
        return new Pass(opened, closed, failed);
    }

    private record Due(String attemptId, String personId, long platformId, long quizId, Long moodleUserId, Long overrideId,
                       String sealedPassword, long timeOpen, long timeClose, String state, int attempts) {
    }

    /** A reason the gate cannot call Moodle yet (no configuration, no Moodle user known): retried like a failure. */
    static final class GateProblem extends Exception {
        GateProblem(String message) {
            super(message);
        }
    }

    private void open(Due d) throws MoodleException, GateProblem {
        // the gate refuses a student who did not clear the checks, also here (the attempt is re-read)
        String attemptState = jdbi.withHandle(h -> h.createQuery("SELECT state FROM proctoring_attempt WHERE id = :a")
                .bind("a", d.attemptId).mapTo(String.class).one());
        if (!AttemptState.IN_PROGRESS.name().equals(attemptState)) {
            throw new GateProblem("NOT_CLEARED: the attempt is " + attemptState);
        }
        MoodleSite site = site(d.platformId);
        long user = d.moodleUserId != null ? d.moodleUserId : moodleUser(site, d.platformId, d.personId);
        // a retry after a save whose answer was lost finds the override Moodle already has: update it, never a second
        Optional<Long> existing = d.overrideId != null ? Optional.of(d.overrideId)
                : quizzes.overrideOf(site, d.quizId, user).map(MoodleQuizzes.Override::id);
        long id = quizzes.save(site, d.quizId, new MoodleQuizzes.UserOverride(existing, user,
                sealing.open(aad(d.attemptId), d.sealedPassword), d.timeOpen, d.timeClose));
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE proctoring_quiz_override SET state = 'OPEN', moodle_user_id = :u, override_id = :id, attempts = 0,
                               next_attempt_at = NULL, last_error = NULL, updated_at = :now
                        WHERE attempt_id = :a AND state = 'OPENING'""")
                .bind("u", user).bind("id", id).bind("a", d.attemptId).bind("now", Utc.of(clock.instant())).execute());
    }

    private void close(Due d, Instant now) throws MoodleException, GateProblem {
        MoodleSite site = site(d.platformId);
        Long user = d.moodleUserId;
        Long id = d.overrideId;
        if (id == null) {
            // never saved as far as we know: Moodle may still have it (a lost answer); if not, there is nothing to close
            if (user == null) {
                Optional<Long> known = knownMoodleUser(site, d.platformId, d.personId);
                if (known.isEmpty()) {
                    closed(d.attemptId, null);
                    return;
                }
                user = known.get();
            }
            Optional<MoodleQuizzes.Override> existing = quizzes.overrideOf(site, d.quizId, user);
            if (existing.isEmpty()) {
                closed(d.attemptId, null);
                return;
            }
            id = existing.get().id();
        }
        long closeAt = Math.max(now.getEpochSecond(), d.timeOpen + 1);
        long close = Math.min(closeAt, Math.max(d.timeClose, d.timeOpen + 1));
        quizzes.save(site, d.quizId, new MoodleQuizzes.UserOverride(Optional.of(id), user,
                sealing.open(aad(d.attemptId), d.sealedPassword), d.timeOpen, close));
        closed(d.attemptId, close);
    }

    private void closed(String attemptId, Long timeClose) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE proctoring_quiz_override SET state = 'CLOSED', time_close = COALESCE(:close, time_close),
                               attempts = 0, next_attempt_at = NULL, last_error = NULL, updated_at = :now
                        WHERE attempt_id = :a""")
                .bind("close", timeClose).bind("a", attemptId).bind("now", Utc.of(clock.instant())).execute());
    }

    private MoodleSite site(long platformId) throws GateProblem {
        Platform p = platforms.byId(platformId).orElseThrow(() -> new GateProblem("NO_PLATFORM: platform " + platformId
                + " is not registered"));
        return moodle.forIssuer(p.issuer()).orElseThrow(() -> new GateProblem("NO_MOODLE_CONFIG: no moodle[i] entry has "
                + "issuer " + p.issuer()));
    }

    /** The student's Moodle user id: the LTI subject of their launches from this Moodle, else the idnumber lookup. */
    private long moodleUser(MoodleSite site, long platformId, String personId) throws MoodleException, GateProblem {
        return knownMoodleUser(site, platformId, personId).orElseThrow(() -> new GateProblem(
                "UNKNOWN_USER: no Moodle user is known for " + personId + " (no launch, no user with this idnumber)"));
    }

    private Optional<Long> knownMoodleUser(MoodleSite site, long platformId, String personId) throws MoodleException {
        Optional<String> subject = jdbi.withHandle(h -> h.createQuery("""
                        SELECT subject FROM lti_user WHERE platform_id = :p AND person_id = :person ORDER BY updated_at DESC LIMIT 1""")
                .bind("p", platformId).bind("person", personId).mapTo(String.class).findOne());
        Optional<String> raw = subject.isPresent() ? subject : MoodleMessenger.userByIdNumber(ws, site, personId);
        try {
            return raw.map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void failure(Due d, String error, Instant now) {
        Duration wait = backoff(d.attempts);
        log.warn("quiz gate: override of attempt {} not {}: {}", d.attemptId, d.state.equals("OPENING") ? "saved" : "closed", error);
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE proctoring_quiz_override SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error,
                               updated_at = :now WHERE attempt_id = :a""")
                .bind("next", Utc.of(now.plus(wait))).bind("error", error.length() > 500 ? error.substring(0, 500) : error)
                .bind("now", Utc.of(now)).bind("a", d.attemptId).execute());
    }

    static Duration backoff(int attempts) {
        Duration d = Duration.ofSeconds(5L << Math.min(attempts, 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    static String newPassword() {
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String aad(String attemptId) {
        return "proctoring_quiz_override/" + attemptId;
    }
}
