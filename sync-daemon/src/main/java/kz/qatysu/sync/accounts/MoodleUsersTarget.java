package kz.qatysu.sync.accounts;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Drift;
import kz.qatysu.sync.engine.LedgerState;
import kz.qatysu.sync.engine.Reconcilable;
import kz.qatysu.sync.engine.Outcome;
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
 * Moodle user accounts ({@code moodle.users}): create, update, suspend — never delete.
 *
 * <p>Before creating, existing accounts are looked up by {@code idnumber} and then by {@code username}: an account an
 * interrupted run already created, or one the university made by hand, is adopted and updated instead of duplicated
 * (an account whose username matches but that carries another person's idnumber is reported, not touched).
 */
public final class MoodleUsersTarget implements SyncTarget, Reconcilable {
    public static final String NAME = "moodle.users";

    private final MoodleClient moodle;
    private final MoodleOptions options;

    public MoodleUsersTarget(MoodleClient moodle, MoodleOptions options) {
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.options = Objects.requireNonNull(options, "options");
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
    public List<Outcome> apply(Action action, List<Change> batch) {
        return switch (action) {
            case CREATE -> create(batch);
            case UPDATE -> update(batch, false);
            case SUSPEND -> update(batch, true);
            case NOOP -> List.of();
        };
    }

    /**
     * Reads every account the ledger knows by id ({@code core_user_get_users_by_field}, 100 ids a call): an account
     * gone from Moodle, one suspended there that the sync keeps active, one re-enabled there that the sync suspended.
     */
    @Override
    public List<Drift> observe(Map<String, LedgerState> known) {
        Map<Long, LedgerState> byId = new java.util.TreeMap<>();
        known.values().forEach(s -> {
            if (s.remoteId() != null) {
                byId.put(Long.parseLong(s.remoteId()), s);
            }
        });
        Map<Long, MoodleModel.User> found = new HashMap<>();
        List<String> ids = byId.keySet().stream().map(String::valueOf).toList();
        for (int i = 0; i < ids.size(); i += READ_BATCH) {
            moodle.usersByField("id", ids.subList(i, Math.min(ids.size(), i + READ_BATCH))).forEach(u -> found.put(u.id(), u));
        }
        List<Drift> out = new ArrayList<>();
        byId.forEach((id, s) -> {
            MoodleModel.User u = found.get(id);
            if (u == null) {
                if (!s.suspended()) {
                    out.add(new Drift(s.key(), Drift.Kind.MISSING, "Moodle account #" + id + " is gone (deleted in Moodle)"));
                }
            } else if (!s.suspended() && u.suspended()) {
                out.add(new Drift(s.key(), Drift.Kind.SUSPENDED, "Moodle account #" + id + " (" + u.username() + ") is suspended in Moodle"));
            } else if (s.suspended() && !u.suspended()) {
                out.add(new Drift(s.key(), Drift.Kind.ACTIVE, "Moodle account #" + id + " (" + u.username()
                        + ") was re-enabled in Moodle, but the portal says it stays suspended"));
            }
        });
        return out;
    }

    /** Ids per {@code core_user_get_users_by_field} call when reading accounts back. */
    static final int READ_BATCH = 100;

    private List<Outcome> create(List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        Map<String, MoodleModel.User> byIdnumber = new HashMap<>();
        moodle.usersByField("idnumber", batch.stream().map(Change::key).toList()).forEach(u -> byIdnumber.put(u.idnumber(), u));
        List<Change> rest = batch.stream().filter(c -> !byIdnumber.containsKey(c.key())).toList();
        Map<String, MoodleModel.User> byUsername = new HashMap<>();
        moodle.usersByField("username", rest.stream().map(c -> c.desired().get("username")).toList())
                .forEach(u -> byUsername.put(u.username(), u));
        List<Change> adopt = new ArrayList<>();
        List<Change> fresh = new ArrayList<>();
        Map<String, Long> adoptedIds = new HashMap<>();
        for (Change c : batch) {
            MoodleModel.User existing = byIdnumber.get(c.key());
            if (existing == null) {
                existing = byUsername.get(c.desired().get("username"));
                if (existing != null && !existing.idnumber().isBlank() && !existing.idnumber().equals(c.key())) {
                    out.add(Outcome.failed(c.key(), "username '" + existing.username() + "' already belongs to Moodle user #"
                            + existing.id() + " with idnumber '" + existing.idnumber() + "'; resolve the clash in Moodle or the portal"));
                    continue;
                }
            }
            if (existing != null) {
                adoptedIds.put(c.key(), existing.id());
                adopt.add(c);
            } else {
                fresh.add(c);
            }
        }
        if (!adopt.isEmpty()) {
            out.addAll(MoodleWrites.write(adopt, options.maxInputVars(), c -> updateRecord(c, adoptedIds.get(c.key()), false),
                    moodle::updateUsers, (changes, warnings) -> withWarnings(changes, warnings, adoptedIds)));
        }
        if (!fresh.isEmpty()) {
            out.addAll(MoodleWrites.write(fresh, options.maxInputVars(), this::createRecord, moodle::createUsers, (changes, created) -> MoodleWrites.inOrder(changes, created.stream().map(x -> x.id()).toList())));
        }
        return out;
    }

    private List<Outcome> update(List<Change> batch, boolean suspend) {
        Map<String, Long> ids = new HashMap<>();
        List<Outcome> out = new ArrayList<>();
        List<Change> known = new ArrayList<>();
        for (Change c : batch) {
            if (c.remoteId() == null) {
                out.add(Outcome.failed(c.key(), "no Moodle user id in the ledger"));
            } else {
                ids.put(c.key(), Long.parseLong(c.remoteId()));
                known.add(c);
            }
        }
        out.addAll(MoodleWrites.write(known, options.maxInputVars(), c -> updateRecord(c, ids.get(c.key()), suspend),
                moodle::updateUsers, (changes, warnings) -> withWarnings(changes, warnings, ids)));
        return out;
    }

    private Map<String, Object> createRecord(Change c) {
        Map<String, Object> u = new LinkedHashMap<>(c.desired().fields());
        if ("manual".equals(u.get("auth"))) {
            u.put("createpassword", 1); // Moodle e-mails a generated password; SSO methods need none
        }
        return u;
    }

    private Map<String, Object> updateRecord(Change c, long id, boolean suspend) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", id);
        if (suspend) {
            u.put("suspended", 1);
            return u;
        }
        u.putAll(c.desired().fields());
        u.remove("auth"); // never switch an existing account's authentication method
        u.put("suspended", 0);
        return u;
    }

    /** {@code core_user_update_users} reports per-user failures as warnings (Moodle ≥ 4.0). */
    private static List<Outcome> withWarnings(List<Change> changes, List<MoodleModel.Warning> warnings, Map<String, Long> ids) {
        Map<Long, String> failed = new HashMap<>();
        warnings.forEach(w -> failed.put(w.itemid(), w.warningcode() + ": " + w.message()));
        List<Outcome> out = new ArrayList<>();
        for (Change c : changes) {
            long id = ids.get(c.key());
            out.add(failed.containsKey(id) ? Outcome.failed(c.key(), failed.get(id)) : Outcome.ok(c.key(), Long.toString(id)));
        }
        return out;
    }
}
