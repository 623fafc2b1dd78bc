package kz.qatysu.sync.sections;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleException;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
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
 * Moodle courses ({@code moodle.courses}), one per portal section, {@code idnumber} = section code; optionally copied
 * from a template course. A section gone from the portal hides its course (never deletes it). A course that already
 * carries the section's idnumber (made by hand, or by an interrupted run) is adopted.
 */
public final class MoodleCoursesTarget implements SyncTarget {
    public static final String NAME = "moodle.courses";

    private final MoodleClient moodle;
    private final MoodleOptions options;

    public MoodleCoursesTarget(MoodleClient moodle, MoodleOptions options) {
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return Math.min(options.batchSize(), 25);
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

    private List<Outcome> create(List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        List<Change> adopt = new ArrayList<>();
        List<Change> fresh = new ArrayList<>();
        Map<String, String> adopted = new HashMap<>();
        for (Change c : batch) {
            List<MoodleModel.Course> existing = moodle.coursesByField("idnumber", c.key());
            if (existing.isEmpty()) {
                fresh.add(c);
            } else {
                adopted.put(c.key(), Long.toString(existing.getFirst().id()));
                adopt.add(c.withDiff(List.of()));
            }
        }
        if (!adopt.isEmpty()) {
            out.addAll(writeUpdates(adopt, adopted, false));
        }
        if (fresh.isEmpty()) {
            return out;
        }
        if (options.templateCourseId().isPresent()) {
            for (Change c : fresh) {
                out.add(fromTemplate(c, options.templateCourseId().get()));
            }
            return out;
        }
        out.addAll(MoodleWrites.write(fresh, options.maxInputVars(), c -> new LinkedHashMap<>(c.desired().fields()),
                moodle::createCourses, (changes, created) -> MoodleWrites.inOrder(changes, created.stream().map(x -> x.id()).toList())));
        return out;
    }

    private Outcome fromTemplate(Change c, long template) {
        Map<String, String> f = c.desired().fields();
        try {
            long id = moodle.duplicateCourse(template, f.get("fullname"), f.get("shortname"), Long.parseLong(f.get("categoryid")), true);
            // a copy takes no idnumber or dates: set them at once, so a crash between the two calls is found by idnumber next time
            Map<String, Object> u = new LinkedHashMap<>(f);
            u.put("id", id);
            var warnings = moodle.updateCourses(List.of(u));
            return warnings.isEmpty() ? Outcome.ok(c.key(), Long.toString(id))
                    : Outcome.failed(c.key(), "copied from template as course #" + id + " but: " + warnings.getFirst().message());
        } catch (MoodleException e) {
            if (e.isGlobal()) {
                throw e;
            }
            return Outcome.failed(c.key(), e.reason());
        }
    }

    private List<Outcome> update(List<Change> batch, boolean hide) {
        Map<String, String> ids = new HashMap<>();
        batch.forEach(c -> ids.put(c.key(), c.remoteId()));
        return writeUpdates(batch, ids, hide);
    }

    private List<Outcome> writeUpdates(List<Change> batch, Map<String, String> ids, boolean hide) {
        return MoodleWrites.write(batch, options.maxInputVars(), c -> {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", ids.get(c.key()));
            if (hide) {
                u.put("visible", 0);
            } else {
                u.putAll(c.desired().fields());
            }
            return u;
        }, moodle::updateCourses, (changes, warnings) -> {
            Map<Long, String> failed = new HashMap<>();
            warnings.forEach(w -> failed.put(w.itemid(), w.warningcode() + ": " + w.message()));
            return changes.stream().map(c -> {
                String id = ids.get(c.key());
                String why = failed.get(Long.parseLong(id));
                return why == null ? Outcome.ok(c.key(), id) : Outcome.failed(c.key(), why);
            }).toList();
        });
    }
}
