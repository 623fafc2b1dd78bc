package kz.qatysu.tool.admission;

import kz.qatysu.tool.admission.policy.AppliedInstitutionPolicy;
import kz.qatysu.tool.admission.policy.SectionRatingOverride;
import kz.qatysu.tool.admission.policy.StoredRatingPolicy;
import kz.qatysu.tool.admission.rules.Admission;
import kz.qatysu.tool.admission.rules.AdmissionOverride;
import kz.qatysu.tool.admission.rules.ComponentScore;
import kz.qatysu.tool.admission.rules.ExamGate;
import kz.qatysu.tool.admission.rules.Rating;
import kz.qatysu.tool.admission.rules.RatingPolicy;
import kz.qatysu.tool.admission.rules.RatingRule;
import kz.qatysu.tool.admission.scores.ScoreRepository;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.standing.StandingListener;
import kz.qatysu.tool.attendance.standing.StandingRepository;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the final exam gate's stored decision ({@code admission}) true: a score, a standing change (mark, excuse,
 * timetable, absence policy, attendance override), a rating policy change or an admission override recomputes the
 * decision of the students it touched inside its own transaction, recording each change with its cause. Every write
 * goes through {@link AttendanceWrites}, the write path the standing shares.
 */
public final class AdmissionService implements StandingListener {
    private final AttendanceWrites writes;
    private final SectionRepository sections;
    private final StandingRepository standings;
    private final ScoreRepository scores;
    private final AdmissionRepository repository;
    private final StoredRatingPolicy policies;
    private final Clock clock;

    public AdmissionService(AttendanceWrites writes, SectionRepository sections, StandingRepository standings,
                            ScoreRepository scores, AdmissionRepository repository, StoredRatingPolicy policies, Clock clock) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.standings = Objects.requireNonNull(standings, "standings");
        this.scores = Objects.requireNonNull(scores, "scores");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One student's final exam gate with everything behind it: the page's and the API's row. */
    public record Row(String personId, Standing standing, Rating rating, Admission admission, RatingPolicy policy) {
        /** The in-term gate (RK1, MT, RK2): attendance only. */
        public Admission inTerm() {
            return ExamGate.inTerm(standing);
        }
    }

    @Override
    public void standingChanged(Handle h, String sectionId, List<String> persons, ChangeSource source) {
        recompute(h, sectionId, persons, AdmissionCause.STANDING_CHANGED, source);
    }

    /**
     * Recomputes the decisions of {@code persons} (null = every enrolled student) on the caller's handle; stores those
     * that changed with a history row each.
     *
     * @return the person ids whose decision changed
     */
    public List<String> recompute(Handle h, String sectionId, Collection<String> persons, AdmissionCause cause,
                                  ChangeSource source) {
        List<Row> rows = compute(h, sectionId, persons);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, AdmissionRepository.Decision> stored = repository.stored(h, sectionId,
                rows.stream().map(Row::personId).toList());
        List<AdmissionRepository.Changed> changed = new ArrayList<>();
        for (Row r : rows) {
            AdmissionRepository.Decision next = decision(r);
            AdmissionRepository.Decision previous = stored.get(r.personId());
            if (!next.equals(previous)) {
                changed.add(new AdmissionRepository.Changed(r.personId(), previous, next));
            }
        }
        repository.save(h, sectionId, changed, cause, source);
        return changed.stream().map(AdmissionRepository.Changed::personId).toList();
    }

    static AdmissionRepository.Decision decision(Row r) {
        Admission a = r.admission();
        return new AdmissionRepository.Decision(a.admitted(), a.computedAdmitted(), a.reasons(),
                r.standing() == null ? StandingState.OK.name() : r.standing().state().name(),
                r.rating().points(), r.rating().max(), r.rating().share(), r.rating().missing(),
                a.override().map(o -> o.decision().name()).orElse(null));
    }

    private List<Row> compute(Handle h, String sectionId, Collection<String> persons) {
        List<String> ids = standings.students(h, sectionId, persons).stream()
                .map(StandingRepository.Student::personId).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Standing> standing = standings.stored(h, sectionId, ids);
        Map<String, Map<String, ComponentScore>> points = scores.scores(h, sectionId, ids);
        Map<String, AdmissionOverride> overrides = repository.activeOverrides(h, sectionId, ids);
        RatingPolicy policy = policies.forSection(h, sectionId);
        List<Row> out = new ArrayList<>();
        for (String person : ids) {
            Standing s = standing.get(person);
            Rating rating = RatingRule.rate(policy, points.getOrDefault(person, Map.of()));
            out.add(new Row(person, s, rating, ExamGate.finalExam(s, rating, Optional.ofNullable(overrides.get(person))), policy));
        }
        return out;
    }

    /** The final exam gate of every enrolled student of the section. 404 for an unknown section. */
    public List<Row> rows(String sectionId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            return compute(h, sectionId, null);
        });
    }

    /** One student's row, empty when not an enrolled student of the section. */
    public Optional<Row> row(String sectionId, String personId) {
        return writes.jdbi().inTransaction(h -> compute(h, sectionId, List.of(personId)).stream().findFirst());
    }

    public List<Map<String, Object>> history(String sectionId, String personId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            return repository.history(h, sectionId, personId);
        });
    }

    /** A validated score record of a request: {@code points} null removes the score. */
    public record ScoreInput(int index, String personId, String component, BigDecimal points, BigDecimal max) {
    }

    /** What a scores upload did. */
    public record ScoresResult(int stored, int removed, int unchanged, List<String> admissionChanged) {
    }

    /**
     * Merges the scores (components not in the request stay as they are). Each person must be an enrolled student of
     * the section, else 400 naming the record; nothing of a refused request is stored.
     */
    public ScoresResult putScores(String sectionId, List<ScoreInput> inputs, InputProblems problems, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            Map<String, Enrolment> roster = sections.enrolments(h, sectionId);
            for (ScoreInput in : inputs) {
                Enrolment e = roster.get(in.personId());
                String path = "[" + in.index() + "].personId";
                if (e == null) {
                    problems.add(path, "'" + in.personId() + "' is not enrolled in section '" + sectionId + "'");
                } else if (e.withdrawn()) {
                    problems.add(path, "'" + in.personId() + "' was withdrawn from section '" + sectionId + "'");
                } else if (e.role() != Enrolment.Role.STUDENT) {
                    problems.add(path, "'" + in.personId() + "' is enrolled as a teacher, not a student");
                }
            }
            problems.throwIfAny("invalid scores: nothing was stored");
            LinkedHashSet<String> persons = new LinkedHashSet<>();
            inputs.forEach(in -> persons.add(in.personId()));
            Map<String, Map<String, ComponentScore>> before = scores.scores(h, sectionId, persons);
            List<ScoreRepository.Change> changes = new ArrayList<>();
            int stored = 0;
            int removed = 0;
            for (ScoreInput in : inputs) {
                ComponentScore old = before.getOrDefault(in.personId(), Map.of()).get(in.component());
                if (in.points() == null) {
                    if (old != null) {
                        changes.add(new ScoreRepository.Change(in.personId(), in.component(), null));
                        removed++;
                    }
                    continue;
                }
                ComponentScore next = new ComponentScore(in.component(), in.points(), in.max());
                if (old == null || old.points().compareTo(next.points()) != 0 || old.max().compareTo(next.max()) != 0) {
                    changes.add(new ScoreRepository.Change(in.personId(), in.component(), next));
                    stored++;
                }
            }
            scores.apply(h, sectionId, changes, source);
            List<String> touched = changes.stream().map(ScoreRepository.Change::personId).distinct().toList();
            List<String> admissionChanged = touched.isEmpty() ? List.of()
                    : recompute(h, sectionId, touched, AdmissionCause.SCORE_CHANGED, source);
            return new ScoresResult(stored, removed, inputs.size() - stored - removed, admissionChanged);
        });
    }

    /** The section's effective rating policy (404 for an unknown section). */
    public RatingPolicy policy(String sectionId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            return policies.forSection(h, sectionId);
        });
    }

    /** A section's rating policy: the institution's, the section's override, the effective one. */
    public record PolicyView(String sectionId, RatingPolicy institution, Optional<SectionRatingOverride> override,
                             RatingPolicy effective, List<String> admissionChanged) {
    }

    public PolicyView policyView(String sectionId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            Optional<SectionRatingOverride> o = policies.find(h, sectionId);
            return new PolicyView(sectionId, policies.institution(), o, policies.forSection(h, sectionId), List.of());
        });
    }

    /** Stores the section's override and recomputes the section's decisions in the same transaction. */
    public PolicyView savePolicy(String sectionId, SectionRatingOverride o, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            policies.save(h, sectionId, o);
            List<String> changed = recompute(h, sectionId, null, AdmissionCause.POLICY_CHANGED, source);
            return new PolicyView(sectionId, policies.institution(), Optional.of(o), policies.forSection(h, sectionId), changed);
        });
    }

    /** Removes the section's override (the institution's policy applies again) and recomputes. */
    public PolicyView resetPolicy(String sectionId, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            List<String> changed = policies.delete(h, sectionId)
                    ? recompute(h, sectionId, null, AdmissionCause.POLICY_CHANGED, source) : List.of();
            return new PolicyView(sectionId, policies.institution(), Optional.empty(), policies.institution(), changed);
        });
    }

    /**
     * Sets the dean's-office admission override of a student (replacing an active one with another decision or
     * reason); the same override again changes nothing.
     */
    public Row override(String sectionId, String personId, AdmissionOverride.Decision decision, String reason,
                        ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            if (standings.students(h, sectionId, List.of(personId)).isEmpty()) {
                throw ApiException.badRequest("invalid admission override", List.of(new ApiException.Detail("personId",
                        "'" + personId + "' is not an enrolled student of section '" + sectionId + "'")));
            }
            Optional<AdmissionOverride> active = repository.activeOverride(h, sectionId, personId);
            boolean same = active.map(o -> o.decision() == decision && o.reason().equals(reason)).orElse(false);
            if (!same) {
                active.ifPresent(o -> repository.withdrawOverride(h, sectionId, personId, source));
                repository.insertOverride(h, sectionId, personId, new AdmissionOverride(decision, reason, source.by(), source.at()));
                recompute(h, sectionId, List.of(personId), AdmissionCause.OVERRIDE_SET, source);
            }
            return compute(h, sectionId, List.of(personId)).get(0);
        });
    }

    /** Withdraws the active admission override; the computed decision applies again. 404 when there is none. */
    public Row withdrawOverride(String sectionId, String personId, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            if (!repository.withdrawOverride(h, sectionId, personId, source)) {
                throw ApiException.notFound("no active admission override for '" + personId + "' in section '" + sectionId + "'");
            }
            recompute(h, sectionId, List.of(personId), AdmissionCause.OVERRIDE_WITHDRAWN, source);
            List<Row> rows = compute(h, sectionId, List.of(personId));
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    /**
     * Recomputes the decisions that a change of the institution's rating policy ({@code admission.*}) moved while the
     * tool was down; run at start-up, before {@link #backfill()}. The configured policy is compared with the one the
     * stored decisions were computed under ({@code admission_institution_policy}): every section whose effective
     * policy differs — all sections with decisions when none was recorded — is recomputed in its own transaction
     * (cause POLICY_CHANGED, only changed decisions written); then the configured policy is recorded. A crash half-way
     * leaves the old record, so the next start recomputes again.
     *
     * @return how many decisions changed
     */
    public int recomputeForInstitutionPolicy() {
        RatingPolicy configured = policies.institution();
        String now = AppliedInstitutionPolicy.decisive(configured);
        Optional<RatingPolicy> before = writes.jdbi().withHandle(AppliedInstitutionPolicy::find);
        if (before.isPresent() && AppliedInstitutionPolicy.decisive(before.get()).equals(now)) {
            return 0;
        }
        String trigger = before.map(b -> "institution rating policy changed (admission.*): "
                        + AppliedInstitutionPolicy.decisive(b) + " → " + now)
                .orElse("institution rating policy recorded (admission.*): " + now);
        int changed = 0;
        for (String sectionId : writes.jdbi().withHandle(repository::sectionsWithDecisions)) {
            changed += writes.inSection(sectionId, h -> {
                if (before.isPresent()) {
                    RatingPolicy old = policies.find(h, sectionId)
                            .map(o -> StoredRatingPolicy.effective(o, before.get())).orElse(before.get());
                    if (AppliedInstitutionPolicy.decisive(old).equals(AppliedInstitutionPolicy.decisive(policies.forSection(h, sectionId)))) {
                        return 0; // the section's own policy overrides whatever changed
                    }
                }
                return recompute(h, sectionId, null, AdmissionCause.POLICY_CHANGED,
                        new ChangeSource("system", clock.instant(), trigger)).size();
            });
        }
        writes.jdbi().inTransaction(h -> {
            AppliedInstitutionPolicy.save(h, configured, clock.instant());
            return null;
        });
        return changed;
    }

    /** Stores a decision for every student who has none yet (enrolled before admission existed); run at start-up. */
    public int backfill() {
        List<String> missing = writes.jdbi().withHandle(repository::sectionsWithoutDecisions);
        int changed = 0;
        for (String sectionId : missing) {
            changed += writes.inSection(sectionId, h -> recompute(h, sectionId, null, AdmissionCause.BACKFILL,
                    new ChangeSource("system", clock.instant(), "decisions of section " + sectionId + " stored"))).size();
        }
        return changed;
    }

    private void requireSection(Handle h, String sectionId) {
        if (!sections.exists(h, sectionId)) {
            throw ApiException.notFound("no section '" + sectionId + "'");
        }
    }
}
