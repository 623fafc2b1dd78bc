package kz.qatysu.sync.sections;

import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.openedx.OpenEdxModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.SyncTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Open edX cohorts = academic groups ({@code openedx.cohorts}); an existing cohort of that name is adopted, none is removed. */
public final class OpenEdxCohortsTarget implements SyncTarget {
    public static final String NAME = "openedx.cohorts";

    private final OpenEdxClient edx;

    public OpenEdxCohortsTarget(OpenEdxClient edx) {
        this.edx = Objects.requireNonNull(edx, "edx");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return 50;
    }

    @Override
    public boolean suspendsMissing() {
        return false;
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        Map<String, List<OpenEdxModel.Cohort>> byCourse = new HashMap<>();
        for (Change c : batch) {
            if (action == Action.SUSPEND) {
                out.add(Outcome.ok(c.key(), c.remoteId()));
                continue;
            }
            String course = c.desired().get("course");
            String name = c.desired().get("name");
            var existing = byCourse.computeIfAbsent(course, id -> {
                edx.ensureCohorted(id);
                return edx.cohorts(id);
            }).stream().filter(k -> k.name().equals(name)).findFirst();
            long id = existing.map(OpenEdxModel.Cohort::id).orElseGet(() -> edx.createCohort(course, name).id());
            out.add(Outcome.ok(c.key(), Long.toString(id)));
        }
        return out;
    }
}
