package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleException;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Ledger;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.RemoteIds;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.moodle.MoodleWrites;
import kz.qatysu.sync.sections.MoodleCoursesTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Course calendar events for timetable entries ({@code moodle.events}). Moodle's web services cannot edit an event
 * or give it an idnumber, so each event carries a marker {@code [qatysu:<session id>]} in its description: a create
 * first looks for an event with its marker (an interrupted run's), a changed session replaces the sync's own event,
 * and a cancelled one withdraws it. Events teachers made themselves are never touched.
 */
public final class MoodleEventsTarget implements SyncTarget {
    public static final String NAME = "moodle.events";

    private final MoodleClient moodle;
    private final MoodleOptions options;
    private final RemoteIds courses;
    private final RemoteIds groups;

    public MoodleEventsTarget(MoodleClient moodle, MoodleOptions options, Ledger ledger) {
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.options = Objects.requireNonNull(options, "options");
        this.courses = new RemoteIds(ledger, MoodleCoursesTarget.NAME);
        this.groups = new RemoteIds(ledger, kz.qatysu.sync.sections.MoodleGroupsTarget.NAME);
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
    public void beginRun() {
        courses.reset();
        groups.reset();
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        if (action == Action.SUSPEND || action == Action.UPDATE) {
            List<Long> own = batch.stream().filter(c -> c.remoteId() != null).map(c -> Long.parseLong(c.remoteId())).toList();
            deleteOwn(own);
            if (action == Action.SUSPEND) {
                batch.forEach(c -> out.add(Outcome.ok(c.key(), c.remoteId())));
                return out;
            }
        }
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        Map<String, Map<String, Long>> existingByCourse = new HashMap<>();
        List<Change> fresh = new ArrayList<>();
        for (Change c : batch) {
            String course = courses.get(c.desired().get("section"));
            if (course == null) {
                out.add(Outcome.failed(c.key(), "section " + c.desired().get("section") + " has no Moodle course yet"));
                continue;
            }
            if (action == Action.CREATE) {
                Long found = existingByCourse.computeIfAbsent(course, this::ownEvents).get(TimetableRules.marker(c.key()));
                if (found != null) {
                    out.add(Outcome.ok(c.key(), Long.toString(found)));
                    continue;
                }
            }
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("name", c.desired().get("name"));
            ev.put("description", c.desired().get("description"));
            ev.put("format", 1);
            ev.put("courseid", course);
            // a session of one academic group is a group event, so only that group sees it in its calendar
            String group = c.desired().get("group") == null || c.desired().get("group").isEmpty() ? null
                    : groups.get(c.desired().get("section") + "/" + c.desired().get("group"));
            if (group != null) {
                ev.put("groupid", group);
                ev.put("eventtype", "group");
            } else {
                ev.put("eventtype", "course");
            }
            ev.put("timestart", c.desired().get("timestart"));
            ev.put("timeduration", c.desired().get("timeduration"));
            ev.put("visible", 1);
            records.put(c.key(), ev);
            fresh.add(c);
        }
        out.addAll(MoodleWrites.write(fresh, options.maxInputVars(), c -> records.get(c.key()), moodle::createCalendarEvents,
                (changes, created) -> {
                    Map<String, String> warned = new HashMap<>();
                    created.warnings().forEach(w -> warned.put(w.item(), w.warningcode() + ": " + w.message()));
                    List<Outcome> ok = new ArrayList<>();
                    int i = 0;
                    for (Change c : changes) {
                        String name = c.desired().get("name");
                        if (warned.containsKey(name) || i >= created.events().size()) {
                            ok.add(Outcome.failed(c.key(), warned.getOrDefault(name, "Moodle created no event")));
                        } else {
                            ok.add(Outcome.ok(c.key(), Long.toString(created.events().get(i++).id())));
                        }
                    }
                    return ok;
                }));
        return out;
    }

    /** Marker → event id of the events the sync created in one course. */
    private Map<String, Long> ownEvents(String course) {
        Map<String, Long> out = new HashMap<>();
        for (MoodleModel.Event e : moodle.courseEvents(List.of(Long.parseLong(course)))) {
            int at = e.description().indexOf("[qatysu:");
            if (at >= 0) {
                int end = e.description().indexOf(']', at);
                if (end > at) {
                    out.put(e.description().substring(at, end + 1), e.id());
                }
            }
        }
        return out;
    }

    /** Deletes the sync's own events one by one, so one already removed by hand does not stop the others. */
    private void deleteOwn(List<Long> ids) {
        for (Long id : ids) {
            try {
                moodle.deleteCalendarEvents(List.of(id));
            } catch (MoodleException e) {
                if (e.isGlobal()) {
                    throw e;
                }
                // already gone (deleted by a teacher): nothing left to withdraw
            }
        }
    }
}
