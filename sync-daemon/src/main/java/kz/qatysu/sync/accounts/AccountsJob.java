package kz.qatysu.sync.accounts;

import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.openedx.OpenEdxModel;
import kz.qatysu.connectors.portal.Person;
import kz.qatysu.connectors.portal.PortalReader;
import kz.qatysu.connectors.portal.SourceBatch;
import kz.qatysu.sync.engine.JobContext;
import kz.qatysu.sync.engine.JobInput;
import kz.qatysu.sync.engine.SourceRead;
import kz.qatysu.sync.engine.SyncJob;
import kz.qatysu.sync.engine.SyncStep;
import kz.qatysu.sync.engine.SyncTarget;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code accounts} job: portal persons → Moodle accounts (create / update / suspend). For Open edX, whose
 * accounts arrive through single sign-on, it only reports who has no account yet: those people are pre-enrolled by
 * the sections job and their enrolments apply at first sign-in.
 */
public final class AccountsJob implements SyncJob {
    public static final String NAME = "accounts";
    /** Every night at 01:00 (Asia/Almaty), before sections (02:00) and timetable (03:00). */
    public static final String DEFAULT_CRON = "0 0 1 * * ?";

    private final PortalReader portal;
    private final AccountRules rules;
    private final Optional<SyncTarget> moodleUsers;
    private final Optional<OpenEdxClient> openEdx;

    public AccountsJob(PortalReader portal, AccountRules rules, Optional<SyncTarget> moodleUsers, Optional<OpenEdxClient> openEdx) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.moodleUsers = moodleUsers;
        this.openEdx = openEdx;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JobInput prepare(JobContext context) {
        SourceBatch<Person> persons = portal.persons();
        List<SyncStep> steps = new ArrayList<>();
        moodleUsers.ifPresent(t -> steps.add(new SyncStep(t, persons.records().stream().map(rules::moodleUser).toList())));
        openEdx.ifPresent(edx -> context.note("people without an Open edX account (they get one at first SSO sign-in; "
                + "their enrolments wait as enrolment-allowed records)", withoutAccount(edx, persons.records())));
        return new JobInput(steps, List.of(SourceRead.of("persons", persons)));
    }

    private List<String> withoutAccount(OpenEdxClient edx, List<Person> persons) {
        List<Person> active = persons.stream().filter(rules::active).toList();
        Set<String> existing = new HashSet<>();
        edx.accounts(active.stream().map(Person::login).toList()).stream().map(OpenEdxModel.Account::username)
                .map(String::toLowerCase).forEach(existing::add);
        return active.stream().filter(p -> !existing.contains(p.login())).map(p -> p.id() + " " + p.login() + " <" + p.email() + ">").toList();
    }
}
