package kz.qatysu.sync.attendance;

import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.sync.engine.Ledger;
import kz.qatysu.sync.engine.RemoteIds;
import kz.qatysu.sync.moodle.MoodleOptions;
import kz.qatysu.sync.sections.MoodleCoursesTarget;
import kz.qatysu.sync.sections.MoodleGroupMembersTarget;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "Attendance lock" group of each course, found by its ID number or created on first use. Teachers restrict
 * midterm and exam activities with Moodle's core condition "must not be in group Attendance lock".
 */
public final class LockGroups implements MoodleGroupMembersTarget.GroupResolver {
    public static final String TARGET = "moodle.lock_group";
    public static final String IDNUMBER = "qatysu-attendance-lock";

    private final MoodleClient moodle;
    private final String groupName;
    private final RemoteIds courses;
    private final Map<String, String> groupByCourse = new HashMap<>();

    public LockGroups(MoodleClient moodle, Ledger ledger, String groupName) {
        this.moodle = moodle;
        this.groupName = groupName;
        this.courses = new RemoteIds(ledger, MoodleCoursesTarget.NAME);
    }

    public static MoodleGroupMembersTarget target(MoodleClient moodle, MoodleOptions options, Ledger ledger, String groupName) {
        return new MoodleGroupMembersTarget(TARGET, moodle, options, ledger, new LockGroups(moodle, ledger, groupName));
    }

    @Override
    public synchronized void reset() {
        courses.reset();
        groupByCourse.clear();
    }

    @Override
    public synchronized String groupId(Map<String, String> fields) {
        String course = courses.get(fields.get("section"));
        if (course == null) {
            return null;
        }
        return groupByCourse.computeIfAbsent(course, c -> {
            var existing = moodle.courseGroups(Long.parseLong(c)).stream()
                    .filter(g -> IDNUMBER.equals(g.idnumber()) || groupName.equals(g.name())).findFirst();
            if (existing.isPresent()) {
                return Long.toString(existing.get().id());
            }
            List<MoodleModel.Group> created = moodle.createGroups(List.of(Map.of("courseid", c, "name", groupName,
                    "description", "Kept by Qatysu: students whose unexcused absences passed the limit. "
                            + "Restrict midterm and exam activities with \"must not be in this group\".",
                    "idnumber", IDNUMBER)));
            return Long.toString(created.getFirst().id());
        });
    }
}
