package kz.qatysu.sync.sections;

import kz.qatysu.connectors.moodle.MoodleClient;
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
import java.util.Map;
import java.util.Objects;

/**
 * Membership of students in their academic group's course group ({@code moodle.group_members}), or — with another
 * groups target — in any group the sync keeps (e.g. "Attendance lock"). Adding is a no-op when already a member;
 * a membership that should end is withdrawn (nothing else is touched).
 */
public final class MoodleGroupMembersTarget implements SyncTarget, Reconcilable {
    public static final String NAME = "moodle.group_members";

    private final String name;
    private final MoodleClient moodle;
    private final MoodleOptions options;
    private final Ledger ledger;
    private final RemoteIds users;
    private final GroupResolver groups;

    /** Finds the Moodle group id of a desired membership's fields. */
    public interface GroupResolver {
        String groupId(Map<String, String> fields);

        default void reset() {
        }
    }

    public MoodleGroupMembersTarget(String name, MoodleClient moodle, MoodleOptions options, Ledger ledger, GroupResolver groups) {
        this.name = name;
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.options = Objects.requireNonNull(options, "options");
        this.ledger = ledger;
        this.users = new RemoteIds(ledger, MoodleUsersTarget.NAME);
        this.groups = groups;
    }

    /** Academic-group memberships, groups from {@code moodle.groups}. */
    public static MoodleGroupMembersTarget academicGroups(MoodleClient moodle, MoodleOptions options, Ledger ledger) {
        RemoteIds groupIds = new RemoteIds(ledger, MoodleGroupsTarget.NAME);
        return new MoodleGroupMembersTarget(NAME, moodle, options, ledger, new GroupResolver() {
            @Override
            public String groupId(Map<String, String> f) {
                return groupIds.get(f.get("section") + "/" + f.get("group"));
            }

            @Override
            public void reset() {
                groupIds.reset();
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int batchSize() {
        return options.batchSize() * 4;
    }

    @Override
    public void beginRun() {
        users.reset();
        groups.reset();
    }

    /** Groups per {@code core_group_get_group_members} call when reading memberships back. */
    static final int READ_BATCH = 50;

    /**
     * Reads the members of every group the ledger's memberships are in ({@code core_group_get_group_members}; a
     * call that fails because a group was deleted is split until that group stands alone): a membership removed in
     * Moodle (or whose group is gone), or one the sync withdrew that is back.
     */
    @Override
    public List<Drift> observe(Map<String, LedgerState> known) {
        users.reset();
        Map<String, Map<String, String>> fields = ledger.fields(name, known.keySet());
        java.util.Set<Long> groupIds = new java.util.TreeSet<>();
        known.values().forEach(s -> {
            if (s.remoteId() != null) {
                groupIds.add(Long.parseLong(s.remoteId()));
            }
        });
        Map<Long, java.util.Set<Long>> members = new java.util.HashMap<>();
        List<Long> ids = List.copyOf(groupIds);
        for (int i = 0; i < ids.size(); i += READ_BATCH) {
            readMembers(ids.subList(i, Math.min(ids.size(), i + READ_BATCH)), members);
        }
        List<Drift> out = new ArrayList<>();
        for (LedgerState s : new java.util.TreeMap<>(known).values()) {
            String user = users.get(fields.getOrDefault(s.key(), Map.of()).get("person"));
            if (s.remoteId() == null || user == null) {
                continue;
            }
            long group = Long.parseLong(s.remoteId());
            java.util.Set<Long> in = members.get(group);
            boolean member = in != null && in.contains(Long.parseLong(user));
            if (!s.suspended() && in == null) {
                out.add(new Drift(s.key(), Drift.Kind.MISSING, "Moodle group #" + group + " of this membership is gone (deleted in Moodle)"));
            } else if (!s.suspended() && !member) {
                out.add(new Drift(s.key(), Drift.Kind.MISSING, "user #" + user + " is not a member of Moodle group #" + group
                        + " (removed in Moodle)"));
            } else if (s.suspended() && member) {
                out.add(new Drift(s.key(), Drift.Kind.ACTIVE, "user #" + user + " is a member of Moodle group #" + group
                        + " again, but the sync withdrew the membership"));
            }
        }
        return out;
    }

    /** Members of {@code groups}; a group Moodle refuses alone (deleted) is left out of {@code into}. */
    private void readMembers(List<Long> groups, Map<Long, java.util.Set<Long>> into) {
        try {
            moodle.groupMembers(groups).forEach(g -> into.put(g.groupid(), new java.util.HashSet<>(g.userids())));
        } catch (kz.qatysu.connectors.moodle.MoodleException e) {
            if (e.isGlobal()) {
                throw e; // token or permissions: not about one group
            }
            if (groups.size() == 1) {
                return;
            }
            readMembers(groups.subList(0, groups.size() / 2), into);
            readMembers(groups.subList(groups.size() / 2, groups.size()), into);
        }
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        Map<String, Map<String, String>> previous = action == Action.SUSPEND ? ledger.fields(name, batch.stream().map(Change::key).toList()) : Map.of();
        List<Outcome> out = new ArrayList<>();
        List<Change> ready = new ArrayList<>();
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        for (Change c : batch) {
            Map<String, String> f = c.desired() != null ? c.desired().fields() : previous.getOrDefault(c.key(), Map.of());
            String user = users.get(f.get("person"));
            String group = groups.groupId(f);
            if (user == null || group == null) {
                out.add(Outcome.failed(c.key(), user == null ? "person " + f.get("person") + " has no Moodle account yet"
                        : "the Moodle group for " + f.get("section") + " / " + f.get("group") + " does not exist yet"));
                continue;
            }
            records.put(c.key(), new LinkedHashMap<>(Map.of("groupid", group, "userid", user)));
            ready.add(c);
        }
        out.addAll(MoodleWrites.write(ready, options.maxInputVars(), c -> records.get(c.key()), list -> {
            if (action == Action.SUSPEND) {
                moodle.deleteGroupMembers(list);
            } else {
                moodle.addGroupMembers(list);
            }
            return null;
        }, (changes, none) -> changes.stream().map(c -> Outcome.ok(c.key(), (String) records.get(c.key()).get("groupid"))).toList()));
        return out;
    }
}
