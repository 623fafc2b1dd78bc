package kz.qatysu.demo;

import kz.qatysu.demo.platform.DemoPlatform;
import kz.qatysu.demo.platform.DemoPlatform.StoredGradeItem;
import kz.qatysu.tool.testing.Api;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "Final exam admission" gradebook item on the demo platform (Moodle 4.5-shaped AGS): a student launches the tool
 * from the demo course, the tool creates the tagged item beside the activity's own, and its 1/0 scores follow the
 * final exam gate as the student's rating crosses the threshold through {@code PUT /api/v1/sections/{id}/scores}.
 * The launch walks the real hops over HTTP (platform login initiation form → tool login → platform authorization →
 * tool launch), so no browser is needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamAdmissionOnDemoPlatformTest {
    private static final String SECTION = "CS101-2026F";
    private static final String TAG = "qatysu-final-exam-admission";
    private static final Pattern FORM = Pattern.compile("<form action=\"([^\"]*)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"/>");
    /** Moodle user ids of the sample course: Әсел Қанатқызы (P-1001) and Нұрсұлтан Жұмабаев (P-1002). */
    private static final String ASEL = "5";
    private static final String NURSULTAN = "6";

    private RunningTool tool;
    private DemoPlatform platform;
    private Api api;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        tool = RunningTool.start(Map.of("QATYSU_DATA_DIR", dataDir.toString()), Clock.systemUTC()); // its key file there
        platform = DemoPlatform.start(DemoPlatform.Settings.forTool(tool.baseUrl()));
        api = Api.admin(tool);
        Api.Response registered = api.post("/api/v1/admin/platforms", platform.registrationJson());
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        api.ok(api.put("/api/v1/sections/" + SECTION, "{\"title\":\"CS101\",\"termStart\":\"2020-01-01\",\"termEnd\":\"2099-12-31\"}"));
        api.ok(api.put("/api/v1/sections/" + SECTION + "/enrolments", "[{\"personId\":\"P-1001\",\"role\":\"student\"},"
                + "{\"personId\":\"P-1002\",\"role\":\"student\"},{\"personId\":\"T-7\",\"role\":\"teacher\"}]"));
        api.ok(api.put("/api/v1/sections/" + SECTION + "/sessions", "[{\"sessionId\":\"CS-1\",\"start\":\"2026-09-02T08:00:00+05:00\","
                + "\"end\":\"2026-09-02T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1}]"));
    }

    @AfterAll
    void stop() {
        if (platform != null) {
            platform.stop();
        }
        if (tool != null) {
            tool.close();
        }
    }

    @Test
    void the_final_exam_admission_item_is_created_on_the_platform_and_its_scores_follow_the_rating() {
        scores("{\"personId\":\"P-1001\",\"component\":\"РК1\",\"points\":80},{\"personId\":\"P-1001\",\"component\":\"MT\",\"points\":62},"
                + "{\"personId\":\"P-1002\",\"component\":\"RK1\",\"points\":50},{\"personId\":\"P-1002\",\"component\":\"MT\",\"points\":50},"
                + "{\"personId\":\"P-1002\",\"component\":\"RK2\",\"points\":50}");
        launchAsStudent(ASEL);

        publish();
        StoredGradeItem exam = examItem();
        assertThat(exam.label()).isEqualTo("Final exam admission");
        assertThat(exam.scoreMaximum()).isEqualTo(1.0);
        assertThat(exam.resourceLinkId()).as("tied to the launched activity").isEqualTo("1");
        assertThat(exam.createdByTool()).isTrue();
        assertThat(exam.grades()).as("142 of 300 not admitted; 150 of 300 admitted (P-1002 found through NRPS)")
                .containsEntry(ASEL, 0.0).containsEntry(NURSULTAN, 1.0);
        assertThat(platform.gradebook()).as("the activity's own item stays beside it")
                .anySatisfy(i -> assertThat(i.createdByTool()).isFalse());

        scores("{\"personId\":\"P-1001\",\"component\":\"АБ2\",\"points\":8}"); // 150 of 300: exactly 50 %
        publish();
        assertThat(examItem().grades()).containsEntry(ASEL, 1.0).containsEntry(NURSULTAN, 1.0);

        scores("{\"personId\":\"P-1001\",\"component\":\"RK2\",\"points\":7.99}"); // 149.99 of 300
        publish();
        assertThat(examItem().grades()).containsEntry(ASEL, 0.0).containsEntry(NURSULTAN, 1.0);
        assertThat(api.ok(api.get("/api/v1/sections/" + SECTION + "/admission")).findValuesAsText("personId"))
                .containsExactlyInAnyOrder("P-1001", "P-1002");
    }

    /** The one item with the exam tag: created once, found again on later passes. */
    private StoredGradeItem examItem() {
        List<StoredGradeItem> tagged = platform.gradebook().stream().filter(i -> TAG.equals(i.tag())).toList();
        assertThat(tagged).as("line items tagged " + TAG + " in " + platform.gradebook()).hasSize(1);
        return tagged.getFirst();
    }

    private void scores(String records) {
        api.ok(api.put("/api/v1/sections/" + SECTION + "/scores", "[" + records + "]"));
    }

    private void publish() {
        tool.app().publishAdmissionScores();
    }

    /**
     * The student opens the Attendance activity on the demo course page: Moodle's view.php and launch.php, the
     * login initiation form posted to the tool, the tool's redirect to the platform's authorization endpoint, and the
     * id_token form posted back to the tool's launch URL.
     */
    private void launchAsStudent(String moodleUserId) {
        Browser b = new Browser();
        assertThat(b.get(platform.issuer() + "/demo/view?user=" + moodleUserId + "&link=1").statusCode()).isEqualTo(200);
        HttpResponse<String> initiation = b.get(platform.issuer() + "/demo/launch?link=1&target=iframe");
        assertThat(initiation.statusCode()).isEqualTo(200);
        HttpResponse<String> login = b.postForm(action(initiation.body()), hidden(initiation.body()));
        HttpResponse<String> authorized = b.get(Browser.authRedirect(login));
        assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(200);
        HttpResponse<String> launched = b.postForm(action(authorized.body()), hidden(authorized.body()));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(303);
        assertThat(launched.headers().firstValue("Location").orElseThrow()).startsWith("/app/");
    }

    private static String action(String html) {
        Matcher m = FORM.matcher(html);
        assertThat(m.find()).as("an auto-submitted form in " + html).isTrue();
        return unescape(m.group(1));
    }

    private static Map<String, String> hidden(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return fields;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
