package kz.qatysu.sync;

import kz.qatysu.config.Secret;
import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.moodle.MoodleClient;
import kz.qatysu.connectors.moodle.MoodleModel;
import kz.qatysu.connectors.openedx.OpenEdxClient;
import kz.qatysu.connectors.portal.Entity;
import kz.qatysu.connectors.portal.PortalReader;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code sync check}: reaches every configured system once, read-only, and says in words what is wrong — the portal's
 * exports (rows read, records rejected), Moodle's token and the functions its service lacks, Open edX's client
 * credentials. Nothing is written anywhere.
 */
final class SyncCheck {
    /** Every web-service function the daemon may call (docs/SYNC.md, "What Moodle needs"). */
    static final List<String> MOODLE_FUNCTIONS = List.of("core_webservice_get_site_info", "core_user_get_users_by_field",
            "core_user_create_users", "core_user_update_users", "core_course_get_courses_by_field", "core_course_create_courses",
            "core_course_update_courses", "enrol_manual_enrol_users", "core_group_get_course_groups", "core_group_create_groups",
            "core_group_add_group_members", "core_group_delete_group_members", "core_calendar_create_calendar_events",
            "core_calendar_get_calendar_events", "core_calendar_delete_calendar_events", "core_grades_update_grades",
            "gradereport_user_get_grade_items");

    private SyncCheck() {
    }

    /** Returns the number of failed checks. */
    static int run(SyncSettings s, PortalReader portal, PrintStream out) {
        int failed = 0;
        for (Entity e : Entity.values()) {
            failed += check(out, "portal " + e.key(), () -> {
                var batch = switch (e) {
                    case PERSONS -> portal.persons();
                    case SECTIONS -> portal.sections();
                    case ENROLMENTS -> portal.enrolments();
                    case TIMETABLE -> portal.timetable();
                    case GRADES -> portal.grades();
                };
                return batch.rowsRead() + " rows, " + batch.records().size() + " good, " + batch.errors().size() + " rejected"
                        + (batch.errors().isEmpty() ? "" : " (first: " + batch.errors().getFirst() + ")");
            }, e == Entity.GRADES || e == Entity.TIMETABLE);
        }
        if (s.moodle().isPresent()) {
            var m = s.moodle().get();
            failed += check(out, "moodle " + m.http().baseUrl(), () -> {
                try (HttpConnector http = new HttpConnector(m.http())) {
                    MoodleModel.SiteInfo info = new MoodleClient(http, m.token(), m.options().maxInputVars()).siteInfo();
                    List<String> missing = MOODLE_FUNCTIONS.stream().filter(f -> !info.functions().contains(f)).toList();
                    return "Moodle " + info.release() + ", signed in as user #" + info.userid()
                            + (missing.isEmpty() ? ", every function allowed" : "; the token's service lacks " + missing);
                }
            }, false);
        }
        if (s.openEdx().isPresent()) {
            var o = s.openEdx().get();
            failed += check(out, "openedx " + o.http().baseUrl(), () -> {
                try (HttpConnector http = new HttpConnector(o.http())) {
                    new OpenEdxClient(http, o.clientId(), o.clientSecret(), Clock.systemUTC()).accounts(List.of());
                    return "reachable (client '" + o.clientId() + "')";
                }
            }, false);
        }
        s.tool().ifPresent(t -> out.println("  ok    tool " + t.http().baseUrl() + " (token " + mask(t.token()) + "; checked on the first run)"));
        return failed;
    }

    private static int check(PrintStream out, String what, Supplier<String> probe, boolean optional) {
        try {
            out.println("  ok    " + what + ": " + probe.get());
            return 0;
        } catch (RuntimeException e) {
            out.println((optional ? "  --    " : "  FAIL  ") + what + ": " + e.getMessage());
            return optional ? 0 : 1;
        }
    }

    private static String mask(Secret s) {
        return s.reveal().isEmpty() ? "missing" : "set";
    }
}
