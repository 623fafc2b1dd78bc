package kz.qatysu.connectors.moodle;

import java.util.List;

/** The parts of Moodle's answers the sync uses; every other key of the real responses is ignored. */
public final class MoodleModel {
    private MoodleModel() {
    }

    public record SiteInfo(String sitename, String release, String version, int userid, List<String> functions) {
    }

    public record User(long id, String username, String idnumber, String email, String firstname, String lastname,
                       boolean suspended, String auth) {
    }

    public record Created(long id, String key) {
    }

    public record Warning(String item, long itemid, String warningcode, String message) {
    }

    public record Course(long id, String shortname, String fullname, String idnumber, long categoryid, boolean visible) {
    }

    public record Category(long id, String name, String idnumber, long parent) {
    }

    public record Group(long id, long courseid, String name, String idnumber) {
    }

    public record GroupMembers(long groupid, List<Long> userids) {
    }

    public record EnrolledUser(long id, String username, String idnumber, List<String> roles, List<Long> groupIds) {
    }

    public record Event(long id, String name, String description, long courseid, long groupid, long timestart, long timeduration) {
    }

    public record GradeItem(long id, String itemname, String idnumber, String itemtype, String itemmodule, Long cmid,
                            long userid, String useridnumber, Double graderaw, double grademax) {
    }
}
