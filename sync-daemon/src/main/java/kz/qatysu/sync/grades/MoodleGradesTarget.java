package kz.qatysu.sync.grades;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleException;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.sync.accounts.MoodleUsersTarget;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Change;
import kz.qatysu.sync.engine.Ledger;
import kz.qatysu.sync.engine.Outcome;
import kz.qatysu.sync.engine.RemoteIds;
import kz.qatysu.sync.engine.SyncTarget;
import kz.qatysu.sync.sections.MoodleCoursesTarget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Portal grades into the Moodle gradebook ({@code moodle.grades}). Moodle's web services write grades only into an
 * activity's grade item ({@code core_grades_update_grades}, activity = course-module id), so each course needs an
 * activity whose grade item's ID number is the assessment's name ({@code RK1}, {@code MIDTERM}, {@code RK2},
 * {@code EXAM}, {@code FINAL}) — a template course brings them. Grades are never removed.
 */
public final class MoodleGradesTarget implements SyncTarget {
    public static final String NAME = "moodle.grades";

    private final MoodleClient moodle;
    private final RemoteIds users;
    private final RemoteIds courses;
    private final Map<String, List<MoodleModel.GradeItem>> items = new HashMap<>();

    public MoodleGradesTarget(MoodleClient moodle, Ledger ledger) {
        this.moodle = Objects.requireNonNull(moodle, "moodle");
        this.users = new RemoteIds(ledger, MoodleUsersTarget.NAME);
        this.courses = new RemoteIds(ledger, MoodleCoursesTarget.NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int batchSize() {
        return 200;
    }

    @Override
    public boolean suspendsMissing() {
        return false;
    }

    @Override
    public synchronized void beginRun() {
        users.reset();
        courses.reset();
        items.clear();
    }

    @Override
    public List<Outcome> apply(Action action, List<Change> batch) {
        List<Outcome> out = new ArrayList<>();
        if (action == Action.SUSPEND) {
            batch.forEach(c -> out.add(Outcome.ok(c.key(), c.remoteId())));
            return out;
        }
        Map<String, List<Change>> byActivity = new LinkedHashMap<>();
        for (Change c : batch) {
            byActivity.computeIfAbsent(c.desired().get("section") + "/" + c.desired().get("item"), k -> new ArrayList<>()).add(c);
        }
        for (List<Change> group : byActivity.values()) {
            Map<String, String> f = group.getFirst().desired().fields();
            String course = courses.get(f.get("section"));
            if (course == null) {
                group.forEach(c -> out.add(Outcome.failed(c.key(), "section " + f.get("section") + " has no Moodle course yet")));
                continue;
            }
            Optional<MoodleModel.GradeItem> item = activity(course, f.get("item"));
            if (item.isEmpty()) {
                group.forEach(c -> out.add(Outcome.failed(c.key(), "course " + f.get("section") + " has no activity whose grade item ID number is '"
                        + f.get("item") + "' (add one, e.g. from the template course)")));
                continue;
            }
            List<Map<String, Object>> grades = new ArrayList<>();
            List<Change> ready = new ArrayList<>();
            for (Change c : group) {
                String user = users.get(c.desired().get("person"));
                if (user == null) {
                    out.add(Outcome.failed(c.key(), "person " + c.desired().get("person") + " has no Moodle account yet"));
                    continue;
                }
                BigDecimal grade = new BigDecimal(c.desired().get("percent")).multiply(BigDecimal.valueOf(item.get().grademax()))
                        .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
                grades.add(Map.of("studentid", user, "grade", grade.toPlainString(), "str_feedback", c.desired().get("letter")));
                ready.add(c);
            }
            if (ready.isEmpty()) {
                continue;
            }
            try {
                int status = moodle.updateGrades(Long.parseLong(course), "mod_" + item.get().itemmodule(), item.get().cmid(), 0, grades);
                String why = switch (status) {
                    case 0 -> null;
                    case 4 -> "the grade item is locked in Moodle";
                    case 2 -> "Moodle found several grade items for the activity";
                    default -> "Moodle could not update the grades (status " + status + ")";
                };
                ready.forEach(c -> out.add(why == null ? Outcome.ok(c.key(), item.get().cmid().toString()) : Outcome.failed(c.key(), why)));
            } catch (MoodleException e) {
                if (e.isGlobal()) {
                    throw e;
                }
                ready.forEach(c -> out.add(Outcome.failed(c.key(), e.reason())));
            }
        }
        return out;
    }

    private synchronized Optional<MoodleModel.GradeItem> activity(String course, String item) {
        List<MoodleModel.GradeItem> list = items.computeIfAbsent(course, id -> moodle.gradeItems(Long.parseLong(id), 0));
        return list.stream().filter(g -> g.cmid() != null && g.idnumber().toUpperCase(Locale.ROOT).equals(item)).findFirst();
    }
}
