package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import static kz.qatysu.tool.excuses.DeansFixture.SECTION;
import static kz.qatysu.tool.excuses.DeansFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 §1 and §4 over real HTTP and PostgreSQL: a kk or ru page carries none of our English sentences, and after
 * a dean's-office override the student's home, the teacher's home, both exam gate pages, the dean's office pages and
 * the report tell the same story — the computed state, the decision, who made it and why.
 */
class OneLanguageTest {
    private static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    private static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    private static final String WHY = "Деканның 12 бұйрығы";

    static DeansFixture f;

    @BeforeAll
    static void start() {
        f = DeansFixture.start(Map.of("QATYSU_UI_DEFAULT_LANGUAGE", "kk"));
        // P-1001: 4 of 10 hours absent (locked by the numbers), admitted by the dean's office; P-1002: one late
        f.absent("P-1001", "S-1", "S-2", "S-3", "S-4");
        ok(f.api("PUT", "/api/v1/sessions/S-5/marks", "[{\"personId\":\"P-1002\",\"status\":\"LATE\",\"lateMinutes\":7}]",
                RunningTool.ADMIN_TOKEN));
        ok(f.api("POST", "/api/v1/sections/" + SECTION + "/overrides",
                "{\"personId\":\"P-1001\",\"state\":\"ADMITTED\",\"reason\":\"" + WHY + "\"}", RunningTool.ADMIN_TOKEN));
        // two warnings the dean's office must see on /admin/notifications: one skipped for a reason of ours, one failing
        f.notificationProblems(SECTION);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void kk_and_ru_pages_carry_no_english_sentence_of_our_own_texts() throws IOException {
        Properties en = load("en");
        for (String lang : List.of("kk", "ru")) {
            Properties own = load(lang);
            Map<String, String> pages = mainPages(lang);
            pages.putAll(proctoringAndStaffPages(lang));
            List<String> found = new ArrayList<>();
            pages.forEach((name, html) -> {
                String text = visibleText(html);
                for (String key : en.stringPropertyNames()) {
                    if (en.getProperty(key).equals(own.getProperty(key))) {
                        continue;
                    }
                    for (String fragment : fragments(en.getProperty(key))) {
                        if (text.contains(fragment)) {
                            found.add(lang + " " + name + ": " + key + " → \"" + fragment + "\"");
                        }
                    }
                }
                // the calculator's old English sentence, raw enums and addresses, Javalin's English
                for (String raw : List.of("planned missed without excuse", "more before the lock", "Overridden:",
                        "ABSENCES_ROSE", "OVERRIDE_SET", "all-planned", "[0:0:0:0:0:0:0:1]", "Endpoint GET",
                        "Something went wrong", "PENDING", "SKIPPED", "no e-mail address known", "message not sent")) {
                    if (text.contains(raw)) {
                        found.add(lang + " " + name + ": raw \"" + raw + "\"");
                    }
                }
                if (text.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d.*")) {
                    found.add(lang + " " + name + ": a raw ISO time");
                }
            });
            assertThat(found).as("English or raw text on " + lang + " pages " + pages.keySet()).isEmpty();
        }
    }

    @Test
    void after_a_deans_override_every_page_tells_the_computed_state_the_decision_who_and_why() {
        Map<String, String> pages = mainPages("kk");
        for (String name : List.of("student home", "student exam gate", "teacher home", "teacher exam gate",
                "dean's standing", "course report", "student report")) {
            String text = visibleText(pages.get(name));
            assertThat(text).as(name).contains("Деканат шешімі: жіберілген сабақтарға қарамастан аттестаттауға жіберілді")
                    .contains(WHY).contains("Шешкен: admin").contains("Бұғатталған");
            if (!name.endsWith("report")) {
                assertThat(text).as(name).contains("Белгілер бойынша есеп: Бұғатталған");
            }
        }
        String student = visibleText(pages.get("student home"));
        assertThat(student).contains("Деканат рұқсат етті").doesNotContain("тағы 0 сағат жіберуге болады")
                .contains("Жоспарланған 10 сағаттың 4 сағаты дәлелсіз жіберілді").contains("40 %");
        assertThat(visibleText(pages.get("dean's history"))).contains("деканат шешім қабылдады")
                .contains("дәлелсіз жіберілген сағат көбейді").contains("10 сағаттың 4 (40 %)");
    }

    @Test
    void an_error_page_inside_a_launched_course_speaks_the_launchs_language_not_the_browsers() {
        Browser browser = new Browser();
        String base = launch(browser, "P-1002", "sub-p2", LEARNER, c -> { });
        browser.acceptLanguage("en-US,en;q=0.9");
        HttpResponse<String> missing = browser.get(f.tool.baseUrl() + base + "/no-such-page");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("lang=\"kk\"", "Бірдеңе дұрыс болмады").doesNotContain("Endpoint", "Something went wrong");
        HttpResponse<String> refused = browser.get(f.tool.baseUrl() + base + "/sessions/S-1");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("lang=\"kk\"").doesNotContain("Only", "Forbidden");
    }

    @Test
    void an_open_edx_launch_without_a_locale_takes_the_browsers_language_before_the_default() {
        Browser browser = new Browser().acceptLanguage("ru-RU,ru;q=0.9,en;q=0.5");
        String base = launch(browser, "P-1002", "sub-p2", LEARNER, c -> c.put(LaunchClaims.LTI + "launch_presentation",
                Map.of("document_target", "iframe")));
        String home = browser.get(f.tool.baseUrl() + base + "/").body();
        assertThat(home).contains("lang=\"ru\"");
    }

    // ---- pages -------------------------------------------------------------------------------------------

    /** The main pages of a student, a teacher and the dean's office with the launches in {@code lang}. */
    private static Map<String, String> mainPages(String lang) {
        Map<String, String> pages = new LinkedHashMap<>();
        Browser student = new Browser();
        String s = launch(student, "P-1001", "sub-p1-" + lang, LEARNER, c -> locale(c, lang));
        pages.put("student home", page(student, s + "/"));
        pages.put("student exam gate", page(student, s + "/exam-gate"));
        pages.put("student check-in", page(student, s + "/checkin"));
        pages.put("student excuses", page(student, s + "/excuses"));
        pages.put("student report", page(student, s + "/reports/me"));
        Browser teacher = new Browser();
        String t = launch(teacher, "T-7", "sub-t7-" + lang, INSTRUCTOR, c -> locale(c, lang));
        pages.put("teacher home", page(teacher, t + "/"));
        pages.put("teacher exam gate", page(teacher, t + "/exam-gate"));
        pages.put("teacher check-in", page(teacher, t + "/checkin"));
        pages.put("marking grid", page(teacher, t + "/sessions/S-5"));
        pages.put("course report", page(teacher, t + "/reports/course"));
        pages.put("teacher excuses", page(teacher, t + "/excuses"));
        Browser dean = f.admin().acceptLanguage(lang);
        pages.put("dean's standing", page(dean, "/admin/sections/" + SECTION));
        pages.put("dean's history", page(dean, "/admin/sections/" + SECTION + "/students/P-1001"));
        pages.put("undelivered warnings", page(dean, "/admin/notifications"));
        return pages;
    }

    /**
     * The proctoring pages (the examinee's exam page with its consent, the checks, the monitoring window, the page of
     * a student not admitted; the teacher's exam list, edit and attempt review; the dean's office's review) and the
     * staff sign-in pages (the admin sign-in, the staff launch, a proctor's and an adviser's start pages).
     */
    private static Map<String, String> proctoringAndStaffPages(String lang) {
        java.time.Instant now = java.time.Instant.now();
        String mid = "ol-mid-" + lang;
        String open = "ol-open-" + lang;
        String fin = "ol-final-" + lang;
        for (var e : List.of(
                new kz.qatysu.tool.proctoring.exams.Exam(mid, SECTION, "Аралық бақылау", kz.qatysu.tool.proctoring.exams.Exam.ExamKind.MIDTERM,
                        now.minusSeconds(3600), now.plusSeconds(3 * 3600), true, kz.qatysu.tool.proctoring.exams.Exam.Checks.ALL, 10, true, 2, 1,
                        "T-7", now, "T-7", now),
                new kz.qatysu.tool.proctoring.exams.Exam(open, SECTION, "Ашық бақылау", kz.qatysu.tool.proctoring.exams.Exam.ExamKind.MIDTERM,
                        now.minusSeconds(3600), now.plusSeconds(3 * 3600), true, kz.qatysu.tool.proctoring.exams.Exam.Checks.NONE, 10, true, 2, 1,
                        "T-7", now, "T-7", now),
                new kz.qatysu.tool.proctoring.exams.Exam(fin, SECTION, "Қорытынды емтихан", kz.qatysu.tool.proctoring.exams.Exam.ExamKind.FINAL,
                        now.minusSeconds(3600), now.plusSeconds(3 * 3600), true, kz.qatysu.tool.proctoring.exams.Exam.Checks.ALL, 10, true, 2, 1,
                        "T-7", now, "T-7", now))) {
            f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, e));
        }
        Map<String, String> pages = new LinkedHashMap<>();
        Browser student = new Browser();
        String s = launch(student, "P-1002", "sub-p2-exam-" + lang, LEARNER, c -> locale(c, lang));
        String examPage = page(student, s + "/exams/" + mid);
        pages.put("examinee consent", examPage);
        consent(student, s + "/exams/" + mid, examPage);
        pages.put("examinee checks", page(student, s + "/exams/" + mid + "/checks"));
        consent(student, s + "/exams/" + open, page(student, s + "/exams/" + open));
        pages.put("examinee monitor", page(student, s + "/exams/" + open + "/monitor"));
        pages.put("examinee not admitted", page(student, s + "/exams/" + fin));
        Browser teacher = new Browser();
        String t = launch(teacher, "T-7", "sub-t7-exam-" + lang, INSTRUCTOR, c -> locale(c, lang));
        pages.put("exam list", page(teacher, t + "/exams"));
        pages.put("exam edit", page(teacher, t + "/exams/" + mid + "/edit"));
        pages.put("attempt review", page(teacher, t + "/exams/" + mid + "/attempts"));
        String attemptId = f.tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM proctoring_attempt WHERE exam_id = :e").bind("e", mid).mapTo(String.class).one());
        pages.put("attempt", page(teacher, t + "/exams/" + mid + "/attempts/" + attemptId));
        Browser dean = f.admin().acceptLanguage(lang);
        pages.put("dean's attempt review", page(dean, "/admin/proctoring/exams/" + mid));
        pages.put("exam's Open edX links", page(teacher, t + "/exams/" + mid + "/openedx"));
        pages.put("exam's Moodle quiz", page(teacher, t + "/exams/" + mid + "/moodle"));
        pages.put("exam's results delivery", page(teacher, t + "/exams/" + mid + "/delivery"));
        pages.put("dean's unmarked sessions", page(dean, "/admin/unmarked-sessions"));
        // staff: the sign-in page, the staff launch, a proctor's and an adviser's start pages
        pages.put("admin sign-in", page(new Browser().acceptLanguage(lang), "/admin"));
        ok(f.api("PUT", "/api/v1/admin/staff/PR-" + lang, "{\"displayName\":\"Проктор\",\"roles\":[\"PROCTOR\"]}", RunningTool.ADMIN_TOKEN));
        Browser proctor = new Browser();
        String staffLaunch = launch(proctor, "PR-" + lang, "sub-pr-" + lang, INSTRUCTOR, c -> {
            locale(c, lang);
            c.put(LaunchClaims.LTI + "custom", Map.of("qatysu_resource", "staff"));
        });
        String launchPage = page(proctor, staffLaunch);
        pages.put("staff launch", launchPage);
        var entered = proctor.acceptLanguage(lang).postForm(f.tool.baseUrl() + "/admin/staff/enter",
                Map.of("ticket", kz.qatysu.tool.staff.StaffLogin.ticket(launchPage)));
        assertThat(entered.statusCode()).isEqualTo(200);
        pages.put("staff entered", entered.body());
        pages.put("proctor's start page", page(proctor, "/admin"));
        f.tool.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO student_adviser (student_id, adviser_id, updated_at) VALUES ('P-1001', 'ADV-OL', now()) ON CONFLICT DO NOTHING"));
        Browser adviser = kz.qatysu.tool.staff.StaffLogin.signIn(f, "ADV-OL", "Гүлнар").acceptLanguage(lang);
        pages.put("adviser's start page", page(adviser, "/admin"));
        pages.put("adviser's students", page(adviser, "/admin/advisees"));
        return pages;
    }

    /** Gives consent on the exam page (its form's CSRF token): the attempt opens. */
    private static void consent(Browser browser, String examPath, String examPage) {
        var r = browser.postForm(f.tool.baseUrl() + examPath + "/consent", Map.of("_csrf", DeansFixture.csrf(examPage)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    }

    private static String page(Browser browser, String path) {
        HttpResponse<String> r = browser.get(f.tool.baseUrl() + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static void locale(Map<String, Object> claims, String lang) {
        claims.put(LaunchClaims.LTI + "launch_presentation", Map.of("locale", lang, "document_target", "iframe"));
    }

    private static String launch(Browser browser, String personId, String sub, String role, Consumer<Map<String, Object>> edit) {
        var r = new LtiFlow(f.tool, f.platform, browser).launch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(f.platform, nonce, target);
            c.put("sub", sub);
            c.put(LaunchClaims.LTI + "roles", List.of(role));
            c.put(LaunchClaims.LTI + "lis", Map.of("person_sourcedid", personId, "course_section_sourcedid", SECTION));
            edit.accept(c);
            return c;
        });
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    // ---- texts -------------------------------------------------------------------------------------------

    private static Properties load(String language) throws IOException {
        Properties p = new Properties();
        try (InputStream in = OneLanguageTest.class.getResourceAsStream("/i18n/messages_" + language + ".properties")) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    /** The runs of four or more words between a text's placeholders: what a page in English would show of it. */
    static List<String> fragments(String pattern) {
        List<String> out = new ArrayList<>();
        for (String part : pattern.replace("''", "'").split("\\{[^{}]*(\\{[^{}]*\\}[^{}]*)*\\}")) {
            String p = part.strip();
            if (p.split("\\s+").length >= 4 && p.matches(".*[A-Za-z]{3,}.*")) {
                out.add(p);
            }
        }
        return out;
    }

    /** What a reader sees: the page without tags, styles and scripts, entities decoded, spaces collapsed. */
    static String visibleText(String html) {
        return html.replaceAll("(?s)<style.*?</style>|<script.*?</script>", " ").replaceAll("<[^>]+>", " ")
                .replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&").replaceAll("\\s+", " ");
    }
}
