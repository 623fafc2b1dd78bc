package kz.qatysu.sync.sections;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleModel;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Course groups = academic groups ({@code moodle.groups}), {@code idnumber} = the group's name in the portal. A group
 * already in the course (by idnumber or name) is adopted. Groups are never removed.
 */
public final class MoodleGroupsTarget implements SyncTarget, Reconcilable {
    public static final String NAME = "moodle.groups";

    private final MoodleClient moodle;
    private final MoodleOptions options;
    private final RemoteIds courses;
    private final Ledger ledger;

    public MoodleGroupsTarget(MoodleClient moodle, MoodleOptions options, Ledger ledger) {
        this.ledger = ledger;
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.options = Objects.requireNonNull(options, "options");
        this.courses = new RemoteIds(ledger, MoodleCoursesTarget.NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return options.batchSize();
    }

    @Override
    public boolean suspendsMissing() {
        return false;
    }

    @Override
    public void beginRun() {
        courses.reset();
    }

    /** Reads each course's groups ({@code core_group_get_course_groups}): a group the sync made that is gone from Moodle. */
    @Override
    public List<Drift> observe(Map<String, LedgerState> known) {
        courses.reset();
        Map<String, Map<String, String>> fields = ledger.fields(NAME, known.keySet());
        Map<String, java.util.Set<Long>> groupsOf = new HashMap<>();
        List<Drift> out = new ArrayList<>();
        for (LedgerState s : new java.util.TreeMap<>(known).values()) {
            String course = courses.get(fields.getOrDefault(s.key(), Map.of()).get("section"));
            if (s.suspended() || s.remoteId() == null || course == null) {
                continue;
            }
            java.util.Set<Long> ids = groupsOf.computeIfAbsent(course, c -> new java.util.HashSet<>(
                    moodle.courseGroups(Long.parseLong(c)).stream().map(MoodleModel.Group::id).toList()));
            if (!ids.contains(Long.parseLong(s.remoteId()))) {
                out.add(new Drift(s.key(), Drift.Kind.MISSING, "group #" + s.remoteId() + " is gone from Moodle course #" + course
                        + " (deleted in Moodle)"));
            }
        }
        return out;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        if (action == Action.SUSPEND) {
            return MoodleWrites.allOk(batch);
        }
        List<Outcome> out = new ArrayList<>();
        Map<String, List<MoodleModel.Group>> existing = new HashMap<>();
        List<Change> fresh = new ArrayList<>();
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        for (Change c : batch) {
            String course = courses.get(c.desired().get("section"));
            if (course == null) {
                out.add(Outcome.failed(c.key(), "section " + c.desired().get("section") + " has no Moodle course yet"));
                continue;
            }
            List<MoodleModel.Group> groups = existing.computeIfAbsent(course, id -> moodle.courseGroups(Long.parseLong(id)));
            var found = groups.stream().filter(g -> g.idnumber().equals(c.desired().get("idnumber")) || g.name().equals(c.desired().get("name"))).findFirst();
            if (found.isPresent()) {
                out.add(Outcome.ok(c.key(), Long.toString(found.get().id())));
                continue;
            }
            if (action == Action.UPDATE) {
                out.add(Outcome.ok(c.key(), c.remoteId()));
                continue;
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("courseid", course);
            g.put("name", c.desired().get("name"));
            g.put("description", "");
            g.put("idnumber", c.desired().get("idnumber"));
            records.put(c.key(), g);
            fresh.add(c);
        }
        out.addAll(MoodleWrites.write(fresh, options.maxInputVars(), c -> records.get(c.key()), moodle::createGroups, (changes, created) -> MoodleWrites.inOrder(changes, created.stream().map(x -> x.id()).toList())));
        return out;
    }
}
