package kz.qatysu.sync.sections;

import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.openedx.OpenEdxModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Ledger;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Open edX enrolments ({@code openedx.enrolments}) through bulk enrolment, ≤ 100 identifiers per call, grouped by
 * course and cohort. Someone without an account yet becomes an enrolment-allowed record that applies at first
 * sign-in; the run report lists them. A record gone from the portal is unenrolled (the learner's state is kept).
 */
public final class OpenEdxEnrolmentsTarget implements SyncTarget {
    public static final String NAME = "openedx.enrolments";

    private final OpenEdxClient edx;
    private final Ledger ledger;
    private final List<String> allowed = new CopyOnWriteArrayList<>();

    public OpenEdxEnrolmentsTarget(OpenEdxClient edx, Ledger ledger) {
        this.edx = Objects.requireNonNull(edx, "edx");
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return 100;
    }

    @Override
    public void beginRun() {
        allowed.clear();
    }

    /** Identifiers pre-enrolled in this run because they have no account yet. */
    public List<String> allowedThisRun() {
        return List.copyOf(allowed);
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        Map<String, Map<String, String>> previous = action == Action.SUSPEND ? ledger.fields(NAME, batch.stream().map(Change::key).toList()) : Map.of();
        Map<String, List<Change>> groups = new LinkedHashMap<>();
        Map<String, Map<String, String>> fields = new HashMap<>();
        for (Change c : batch) {
            Map<String, String> f = c.desired() != null ? c.desired().fields() : previous.getOrDefault(c.key(), Map.of());
            fields.put(c.key(), f);
            groups.computeIfAbsent(f.get("course") + "\u0000" + f.getOrDefault("cohort", ""), k -> new ArrayList<>()).add(c);
        }
        List<Outcome> out = new ArrayList<>();
        for (List<Change> group : groups.values()) {
            Map<String, String> first = fields.get(group.getFirst().key());
            String cohort = first.getOrDefault("cohort", "");
            List<String> ids = group.stream().map(c -> fields.get(c.key()).get("identifier")).toList();
            List<OpenEdxModel.BulkEnrollResult> results = edx.bulkEnroll(first.get("course"), ids,
                    cohort.isBlank() || action == Action.SUSPEND ? null : cohort, action != Action.SUSPEND);
            Map<String, OpenEdxModel.BulkEnrollResult> byId = new HashMap<>();
            results.forEach(r -> byId.put(r.identifier().toLowerCase(), r));
            for (Change c : group) {
                String id = fields.get(c.key()).get("identifier");
                OpenEdxModel.BulkEnrollResult r = byId.get(id.toLowerCase());
                if (r == null) {
                    out.add(Outcome.failed(c.key(), "Open edX did not report on '" + id + "'"));
                } else if (r.invalid() || r.error()) {
                    out.add(Outcome.failed(c.key(), "Open edX rejected '" + id + "'" + (r.invalid() ? " as an invalid identifier" : "")));
                } else {
                    if (r.allowed() && !r.enrolled() && action != Action.SUSPEND) {
                        allowed.add(first.get("course") + " " + id);
                    }
                    out.add(Outcome.ok(c.key(), id));
                }
            }
        }
        return out;
    }
}
