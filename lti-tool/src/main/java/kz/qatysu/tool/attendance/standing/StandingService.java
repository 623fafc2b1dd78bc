package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.changes.ChangeFeed;
import kz.qatysu.tool.attendance.rules.AbsenceCalculator;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.rules.PlannedSession;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingOverride;
import kz.qatysu.tool.attendance.rules.StateTransition;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the {@code standing} table true: every write that can change a student's standing calls
 * {@link #recompute} for the students it touched, inside its own transaction, so the standing, the change feed
 * and the state history commit (or roll back) with the change that caused them.
 */
public final class StandingService {
    private final AttendanceWrites writes;
    private final StandingRepository repository;
    private final SectionRepository sections;
    private final ChangeFeed feed;
    private final PolicySource policies;
    private final Clock clock;
    private final StandingListener listener;

    public StandingService(AttendanceWrites writes, StandingRepository repository, SectionRepository sections,
                           ChangeFeed feed, PolicySource policies, Clock clock) {
        this(writes, repository, sections, feed, policies, clock, StandingListener.NONE);
    }

    /**
     * @param listener told about the students whose standing state changed or who got their first standing, in the
     *                 same transaction (the exam admission, which reads nothing else of the standing)
     */
    public StandingService(AttendanceWrites writes, StandingRepository repository, SectionRepository sections,
                           ChangeFeed feed, PolicySource policies, Clock clock, StandingListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.writes = Objects.requireNonNull(writes, "writes");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Recomputes the standing of {@code persons} (null = every enrolled student of the section) on the caller's
     * handle; stores what changed, appends a feed entry per changed row and a history row per state transition.
     *
     * @return the person ids whose stored standing changed
     */
    public List<String> recompute(Handle h, String sectionId, Collection<String> persons, ChangeSource source) {
        List<StandingRepository.Student> students = repository.students(h, sectionId, persons);
        if (students.isEmpty()) {
            return List.of();
        }
        List<String> ids = students.stream().map(StandingRepository.Student::personId).toList();
        List<PlannedSession> timetable = repository.timetable(h, sectionId);
        Map<String, Map<String, Mark>> marks = repository.marks(h, sectionId, ids);
        Map<String, StandingOverride> overrides = repository.activeOverrides(h, sectionId, ids);
        Map<String, Standing> stored = repository.stored(h, sectionId, ids);
        AbsencePolicy policy = policies.forSection(h, sectionId);

        Instant now = clock.instant();
        List<Map.Entry<String, Standing>> changed = new ArrayList<>();
        List<StandingRepository.Transition> transitions = new ArrayList<>();
        List<String> stateChanged = new ArrayList<>();
        for (StandingRepository.Student student : students) {
            String person = student.personId();
            Standing next = AbsenceCalculator.standing(timetable, student.group(), marks.getOrDefault(person, Map.of()),
                    student.since(), now, policy, Optional.ofNullable(overrides.get(person)));
            Standing previous = stored.get(person);
            if (next.equals(previous)) {
                continue;
            }
            changed.add(Map.entry(person, next));
            if (previous == null || previous.state() != next.state()) {
                stateChanged.add(person);
            }
            StateTransition.detect(previous, next)
                    .or(() -> StateTransition.detectComputed(previous, next))
                    .ifPresent(t -> transitions.add(new StandingRepository.Transition(person, previous, next, t)));
        }
        // Three set-based writes whatever the number of students: the feed entries (their sequence numbers go
        // into the standing rows), the standings, the state history.
        Map<String, Long> seqs = feed.appendStandings(h, sectionId, changed, source);
        repository.saveAll(h, sectionId, changed.stream()
                .map(e -> new StandingRepository.Changed(e.getKey(), e.getValue(), seqs.get(e.getKey()))).toList(), source);
        repository.appendHistory(h, sectionId, transitions, source);
        List<String> changedIds = changed.stream().map(Map.Entry::getKey).toList();
        if (!stateChanged.isEmpty()) {
            listener.standingChanged(h, sectionId, stateChanged, source);
        }
        return changedIds;
    }

    /** Recomputes every student of the section in its own transaction — e.g. after the section's policy changed. */
    public List<String> recomputeSection(String sectionId, ChangeSource source) {
        return writes.inSection(sectionId, h -> recompute(h, sectionId, null, source));
    }

    public List<StandingRepository.StoredStanding> standing(String sectionId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            return List.copyOf(repository.roster(h, sectionId).values());
        });
    }

    public List<Map<String, Object>> history(String sectionId, String personId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            List<Map<String, Object>> history = repository.history(h, sectionId, personId);
            if (history.isEmpty() && !sections.enrolments(h, sectionId).containsKey(personId)) {
                throw ApiException.notFound("'" + personId + "' was never enrolled in section '" + sectionId + "'");
            }
            return history;
        });
    }

    /** The same history for the dean's page: states, cause and the numbers as data, told there in the reader's language. */
    public List<StandingRepository.HistoryEntry> historyEntries(String sectionId, String personId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            List<StandingRepository.HistoryEntry> history = repository.historyEntries(h, sectionId, personId);
            if (history.isEmpty() && !sections.enrolments(h, sectionId).containsKey(personId)) {
                throw ApiException.notFound("'" + personId + "' was never enrolled in section '" + sectionId + "'");
            }
            return history;
        });
    }

    /**
     * Sets the dean's-office override of a student (replacing an active one with another decision or reason);
     * the same override again changes nothing.
     */
    public StandingRepository.StoredStanding override(String sectionId, String personId, StandingOverride.Decision decision,
                                                      String reason, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            requireStudent(h, sectionId, personId);
            Optional<StandingOverride> active = repository.activeOverride(h, sectionId, personId);
            boolean same = active.map(o -> o.decision() == decision && o.reason().equals(reason)).orElse(false);
            if (!same) {
                active.ifPresent(o -> repository.withdrawOverride(h, sectionId, personId, source));
                repository.insertOverride(h, sectionId, personId, new StandingOverride(decision, reason, source.by(), source.at()));
                recompute(h, sectionId, List.of(personId), source);
            }
            return repository.roster(h, sectionId).get(personId);
        });
    }

    /** Withdraws the active override; the computed state applies again. 404 when there is none. */
    public StandingRepository.StoredStanding withdrawOverride(String sectionId, String personId, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            if (!repository.withdrawOverride(h, sectionId, personId, source)) {
                throw ApiException.notFound("no active override for '" + personId + "' in section '" + sectionId + "'");
            }
            recompute(h, sectionId, List.of(personId), source);
            return repository.roster(h, sectionId).get(personId);
        });
    }

    private void requireSection(Handle h, String sectionId) {
        if (!sections.exists(h, sectionId)) {
            throw ApiException.notFound("no section '" + sectionId + "'");
        }
    }

    private void requireStudent(Handle h, String sectionId, String personId) {
        if (repository.students(h, sectionId, List.of(personId)).isEmpty()) {
            throw ApiException.badRequest("invalid override", List.of(new ApiException.Detail("personId",
                    "'" + personId + "' is not an enrolled student of section '" + sectionId + "'")));
        }
    }
}
