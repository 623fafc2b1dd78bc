package kz.qatysu.sync.sections;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
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
public final class MoodleGroupMembersTarget implements SyncTarget {
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
