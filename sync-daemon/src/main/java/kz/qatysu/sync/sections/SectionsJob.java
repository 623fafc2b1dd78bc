package kz.qatysu.sync.sections;

import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.portal.Section;
import kz.qatysu.connectors.portal.SourceBatch;
import kz.qatysu.sync.SyncRunReport.Skipped;
import kz.qatysu.sync.accounts.AccountRules;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.engine.Desired;
import kz.qatysu.sync.engine.JobContext;
import kz.qatysu.sync.engine.JobInput;
import kz.qatysu.sync.engine.SourceRead;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncStep;
import kz.qatysu.sync.moodle.MoodleOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code sections} job: portal sections, enrolments and academic groups → Moodle courses (idnumber = section
 * code), enrolments with roles, groups and group membership; Open edX cohorts and enrolments; the tool's sections and
 * rosters. Steps run in dependency order: courses before enrolments before groups before memberships. The Moodle
 * enrolments and group memberships of people the accounts job deliberately gives no account (e.g. a student on
 * academic leave who never had one) are reported as skipped with the reason, not attempted and failed.
 */
public final class SectionsJob implements SyncJob {
    public static final String NAME = "sections";
    /** Every night at 02:00, after accounts. */
    public static final String DEFAULT_CRON = "0 0 2 * * ?";

    /** Moodle targets of this job; all present or none. */
    public record MoodleTargets(MoodleCoursesTarget courses, MoodleEnrolmentsTarget enrolments, MoodleGroupsTarget groups,
                                MoodleGroupMembersTarget members, MoodleOptions options) {
    }

    public record OpenEdxTargets(OpenEdxCohortsTarget cohorts, OpenEdxEnrolmentsTarget enrolments) {
    }

    public record ToolTargets(ToolSectionsTarget sections, ToolSectionsTarget enrolments) {
    }

    private final PortalReader portal;
    private final SectionRules rules;
    private final AccountRules accounts;
    private final Optional<MoodleTargets> moodle;
    private final Optional<OpenEdxTargets> openEdx;
    private final Optional<ToolTargets> tool;

    /** @param accounts the accounts job's rules: who gets no Moodle account on purpose */
    public SectionsJob(PortalReader portal, SectionRules rules, AccountRules accounts, Optional<MoodleTargets> moodle,
                       Optional<OpenEdxTargets> openEdx, Optional<ToolTargets> tool) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.moodle = moodle;
        this.openEdx = openEdx;
        this.tool = tool;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobInput prepare(JobContext context) {
        SourceBatch<Person> persons = portal.persons();
        SourceBatch<Section> sections = portal.sections();
        SourceBatch<Enrolment> listed = portal.enrolments();
        Map<String, Person> people = new HashMap<>();
        persons.records().forEach(p -> people.put(p.id(), p));
        List<Enrolment> enrolments = SectionRules.enrolments(sections.records(), listed.records());
        // an enrolment of a person the portal does not list (or lists as expelled) is not synced: it is reported
        List<Enrolment> known = enrolments.stream().filter(e -> people.containsKey(e.personId())).toList();
        List<String> unknown = enrolments.stream().filter(e -> !people.containsKey(e.personId())).map(Enrolment::key).toList();
        if (!unknown.isEmpty()) {
            context.note("enrolments of persons missing from the persons export (not synced)", unknown);
        }
        Map<String, List<Enrolment>> bySection = new LinkedHashMap<>();
        sections.records().forEach(s -> bySection.put(s.code(), new ArrayList<>()));
        known.forEach(e -> bySection.get(e.sectionCode()).add(e));

        List<SyncStep> steps = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        moodle.ifPresent(m -> {
            steps.add(new SyncStep(m.courses(), sections.records().stream()
                    .map(s -> rules.moodleCourse(s, m.options().category(s.faculty()))).toList()));
            Map<String, String> moodleAccounts = context.ledger().remoteIds(MoodleUsersTarget.NAME);
            List<Desired> enrols = new ArrayList<>();
            Set<Desired> groups = new LinkedHashSet<>();
            List<Desired> members = new ArrayList<>();
            for (Enrolment e : known) {
                Person p = people.get(e.personId());
                String noAccount = moodleAccounts.containsKey(p.id()) ? null : accounts.noAccountReason(p);
                boolean member = e.role() == Enrolment.Role.STUDENT && p.group() != null;
                if (noAccount != null) {
                    skipped.add(new Skipped(m.enrolments().name(), e.key(), p.id() + " has " + noAccount));
                    if (member) {
                        skipped.add(new Skipped(m.members().name(), rules.moodleGroupMember(e.sectionCode(), p.group(), p.id()).key(),
                                p.id() + " has " + noAccount));
                    }
                    continue;
                }
                enrols.add(rules.moodleEnrolment(e));
                if (member) {
                    groups.add(rules.moodleGroup(e.sectionCode(), p.group()));
                    members.add(rules.moodleGroupMember(e.sectionCode(), p.group(), p.id()));
                }
            }
            steps.add(new SyncStep(m.enrolments(), enrols));
            steps.add(new SyncStep(m.groups(), List.copyOf(groups)));
            steps.add(new SyncStep(m.members(), members));
        });
        openEdx.ifPresent(x -> {
            Set<Desired> cohorts = new LinkedHashSet<>();
            List<Desired> enrols = new ArrayList<>();
            for (Section s : sections.records()) {
                if (s.openedxCourseId() == null) {
                    continue;
                }
                for (Enrolment e : bySection.get(s.code())) {
                    Person p = people.get(e.personId());
                    String cohort = e.role() == Enrolment.Role.STUDENT ? p.group() : null;
                    if (cohort != null) {
                        cohorts.add(rules.openEdxCohort(s.openedxCourseId(), cohort));
                    }
                    enrols.add(rules.openEdxEnrolment(s.openedxCourseId(), p, cohort));
                }
            }
            steps.add(new SyncStep(x.cohorts(), List.copyOf(cohorts)));
            context.noteLater("Open edX: pre-enrolled without an account yet (applies at first sign-in)", x.enrolments()::allowedThisRun);
            steps.add(new SyncStep(x.enrolments(), enrols));
        });
        tool.ifPresent(t -> {
            steps.add(new SyncStep(t.sections(), sections.records().stream().map(rules::toolSection).toList()));
            steps.add(new SyncStep(t.enrolments(), bySection.entrySet().stream()
                    .map(e -> rules.toolEnrolments(e.getKey(), e.getValue(), people)).toList()));
        });
        return new JobInput(steps, List.of(SourceRead.of("persons", persons), SourceRead.of("sections", sections),
                SourceRead.of("enrolments", listed))).withSkipped(skipped);
    }
}
