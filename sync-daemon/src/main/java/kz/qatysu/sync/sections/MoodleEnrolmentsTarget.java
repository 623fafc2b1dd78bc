package kz.qatysu.sync.sections;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.portal.Enrolment;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Drift;
import kz.qatysu.sync.engine.LedgerState;
import kz.qatysu.sync.engine.Reconcilable;
import kz.qatysu.sync.engine.Ledger;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.RemoteIds;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.moodle.MoodleWrites;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Manual enrolments in Moodle courses ({@code moodle.enrolments}), with the configured role id per role. Enrolling is
 * idempotent in Moodle; a record gone from the portal is enrolled again with {@code suspend=1} — the enrolment is
 * suspended, the student's work and grades stay.
 */
public final class MoodleEnrolmentsTarget implements SyncTarget, Reconcilable {
    public static final String NAME = "moodle.enrolments";

    private final MoodleClient moodle;
    private final MoodleOptions options;
    private final Ledger ledger;
    private final RemoteIds users;
    private final RemoteIds courses;

    public MoodleEnrolmentsTarget(MoodleClient moodle, MoodleOptions options, Ledger ledger) {
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.options = Objects.requireNonNull(options, "options");
        this.ledger = ledger;
        this.users = new RemoteIds(ledger, MoodleUsersTarget.NAME);
        this.courses = new RemoteIds(ledger, MoodleCoursesTarget.NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return options.batchSize() * 4; // 4 variables per enrolment
    }

    @Override
    public void beginRun() {
        users.reset();
        courses.reset();
    }

    /** Participants per {@code core_enrol_get_enrolled_users} page when reading courses back. */
    static final int READ_PAGE = 1000;

    /**
     * Reads each course's participants twice ({@code core_enrol_get_enrolled_users}, all, then {@code onlyactive=1}):
     * an enrolment gone (unenrolled by hand), one inactive that the sync keeps active (not reported for people whose
     * account the sync suspended — Moodle may hide them from active participants), one active that the sync suspended.
     */
    @Override
    public List<Drift> observe(Map<String, LedgerState> known) {
        users.reset();
        courses.reset();
        Map<String, Map<String, String>> fields = ledger.fields(NAME, known.keySet());
        Map<String, LedgerState> accounts = ledger.states(MoodleUsersTarget.NAME);
        Map<Long, List<LedgerState>> byCourse = new java.util.TreeMap<>();
        Map<String, Long> userOf = new java.util.HashMap<>();
        for (LedgerState s : new java.util.TreeMap<>(known).values()) {
            Map<String, String> f = fields.getOrDefault(s.key(), Map.of());
            String user = users.get(f.get("person"));
            String course = courses.get(f.get("section"));
            if (user == null || course == null) {
                continue;
            }
            userOf.put(s.key(), Long.parseLong(user));
            byCourse.computeIfAbsent(Long.parseLong(course), c -> new ArrayList<>()).add(s);
        }
        List<Drift> out = new ArrayList<>();
        byCourse.forEach((course, states) -> {
            java.util.Set<Long> all = participants(course, false);
            java.util.Set<Long> active = participants(course, true);
            for (LedgerState s : states) {
                long user = userOf.get(s.key());
                String person = fields.get(s.key()).get("person");
                LedgerState account = accounts.get(person);
                if (!s.suspended() && !all.contains(user)) {
                    out.add(new Drift(s.key(), Drift.Kind.MISSING, "user #" + user + " is not enrolled in Moodle course #" + course
                            + " (unenrolled in Moodle)"));
                } else if (!s.suspended() && !active.contains(user) && (account == null || !account.suspended())) {
                    out.add(new Drift(s.key(), Drift.Kind.SUSPENDED, "the enrolment of user #" + user + " in Moodle course #" + course
                            + " is suspended or inactive in Moodle"));
                } else if (s.suspended() && active.contains(user)) {
                    out.add(new Drift(s.key(), Drift.Kind.ACTIVE, "the enrolment of user #" + user + " in Moodle course #" + course
                            + " is active in Moodle, but the portal removed it"));
                }
            }
        });
        return out;
    }

    private java.util.Set<Long> participants(long course, boolean onlyActive) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int from = 0; ; from += READ_PAGE) {
            var page = moodle.enrolledUsers(course, from, READ_PAGE, onlyActive);
            page.forEach(u -> ids.add(u.id()));
            if (page.size() < READ_PAGE) {
                return ids;
            }
        }
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        Map<String, Map<String, String>> fields = action == Action.SUSPEND ? ledger.fields(NAME, batch.stream().map(Change::key).toList()) : Map.of();
        List<Outcome> out = new ArrayList<>();
        List<Change> ready = new ArrayList<>();
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        for (Change c : batch) {
            Map<String, String> f = c.desired() != null ? c.desired().fields() : fields.getOrDefault(c.key(), Map.of());
            String user = users.get(f.get("person"));
            String course = courses.get(f.get("section"));
            if (user == null || course == null) {
                out.add(Outcome.failed(c.key(), user == null ? "person " + f.get("person") + " has no Moodle account yet (see the accounts job)"
                        : "section " + f.get("section") + " has no Moodle course yet"));
                continue;
            }
            Integer role = options.roleIds().get(Enrolment.Role.valueOf(f.get("role").toUpperCase(Locale.ROOT)));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("roleid", role);
            r.put("userid", user);
            r.put("courseid", course);
            r.put("suspend", action == Action.SUSPEND ? 1 : 0);
            records.put(c.key(), r);
            ready.add(c);
        }
        out.addAll(MoodleWrites.write(ready, options.maxInputVars(), c -> records.get(c.key()), list -> {
            moodle.enrolUsers(list);
            return null;
        }, (changes, none) -> changes.stream().map(c -> Outcome.ok(c.key(), (String) records.get(c.key()).get("userid"))).toList()));
        return out;
    }
}
