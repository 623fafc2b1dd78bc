package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.HandleListener;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static kz.qatysu.tool.testing.LaunchClaims.LTI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL of one launch POST (issue 13 §6, CPU per launch): every statement on the one connection the launch holds,
 * none on another (each pool checkout and JDBI handle costs the tool CPU, and a launch holding a connection while
 * waiting for a second can starve the pool at a class start), and only the statements the launch needs. Counted on
 * the request's thread, so the tool's background jobs do not disturb the count.
 */
class LaunchSqlTest {
    static RunningTool tool;
    static TestPlatform platform;
    static long platformId;
    /** Statements and handle openings while a launch is posted, each with the thread that ran it. */
    static final List<Map.Entry<Thread, String>> statements = new CopyOnWriteArrayList<>();
    static final List<Thread> handles = new CopyOnWriteArrayList<>();
    static volatile boolean recording;

    @BeforeAll
    static void start() {
        tool = RunningTool.start();
        platform = new TestPlatform("http://127.0.0.1:8104", "sql-count-client", "1");
        platformId = new LtiFlow(tool, platform, new Browser()).register();
        Jdbi jdbi = tool.database().jdbi();
        jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                if (recording) {
                    statements.add(Map.entry(Thread.currentThread(), context.getRenderedSql().strip().replaceAll("\\s+", " ")));
                }
            }
        });
        jdbi.getConfig(Handles.class).addListener(new HandleListener() {
            @Override
            public void handleCreated(Handle handle) {
                if (recording) {
                    handles.add(Thread.currentThread());
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        tool.close();
        platform.close();
    }

    /** What the launch POST ran: on the thread that took its state out, so background jobs do not count. */
    record Counted(HttpResponse<String> response, List<String> statements, int handles) {
    }

    private static Counted countedLaunch(java.util.function.BiFunction<String, String, Map<String, Object>> claims) {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        String token = platform.sign(claims.apply(auth.get("nonce"), flow.targetLinkUri()));
        statements.clear();
        handles.clear();
        recording = true;
        HttpResponse<String> r;
        try {
            r = flow.post(token, auth.get("state"));
        } finally {
            recording = false;
        }
        Thread launch = statements.stream().filter(e -> e.getValue().startsWith("DELETE FROM lti_login_state")).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("the launch took no state out: " + statements));
        return new Counted(r, statements.stream().filter(e -> e.getKey() == launch).map(Map.Entry::getValue).toList(),
                (int) handles.stream().filter(t -> t == launch).count());
    }

    @Test
    void an_open_edx_launch_without_section_person_or_name_runs_four_statements_on_one_connection() {
        Counted c = countedLaunch((nonce, target) -> openEdx(nonce, target));
        assertThat(c.response().statusCode()).as(c.response().body()).isEqualTo(303);
        assertThat(c.handles()).as("pool checkouts (JDBI handles) of the launch POST: %s", c.statements()).isEqualTo(1);
        // the state taken out, one look-up of section / login / known name, the nonce with the session, the platform user
        assertThat(c.statements()).as(String.join("\n", c.statements())).hasSize(4);
        assertThat(c.statements().getFirst()).startsWith("DELETE FROM lti_login_state");
    }

    @Test
    void a_moodle_launch_naming_section_person_and_name_looks_nothing_up_and_stores_the_name_in_its_transaction() {
        Counted c = countedLaunch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
        assertThat(c.response().statusCode()).as(c.response().body()).isEqualTo(303);
        assertThat(c.handles()).as("pool checkouts (JDBI handles) of the launch POST: %s", c.statements()).isEqualTo(1);
        // state, nonce with session, platform user, course link (the AGS claim), the name the launch sent
        assertThat(c.statements()).as(String.join("\n", c.statements())).hasSize(5)
                .noneMatch(s -> s.contains("person_login") || s.contains("course_mapping"));
    }

    @Test
    void a_nonce_another_node_already_recorded_is_refused_stores_no_session_and_spends_the_state() {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        // the nonce was recorded a moment ago (the same id_token posted to the other node of the cluster)
        tool.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO lti_nonce (platform_id, nonce, expires_at) VALUES (?, ?, now() + interval '1 hour')", platformId, auth.get("nonce")));
        int sessionsBefore = sessionCount();
        String token = platform.sign(openEdx(auth.get("nonce"), flow.targetLinkUri()));

        HttpResponse<String> r = flow.post(token, auth.get("state"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("NONCE_REPLAYED");
        assertThat(sessionCount()).isEqualTo(sessionsBefore);
        assertThat(flow.post(token, auth.get("state")).body()).contains("UNKNOWN_STATE");
    }

    private static int sessionCount() {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tool_session").mapTo(Integer.class).one());
    }

    /** Claims as Open edX's xblock-lti-consumer sends them without PII (the benchmark's shape). */
    static Map<String, Object> openEdx(String nonce, String target) {
        Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
        for (String drop : List.of(LTI + "lis", LTI + "ext", LTI + "custom", "name", "given_name", "family_name", "email",
                "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice")) {
            c.remove(drop);
        }
        c.put("sub", "edx-learner-7");
        c.put(LTI + "context", Map.of("id", "course-v1:edX+DemoX+Demo_Course", "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")));
        c.put(LTI + "resource_link", Map.of("id", "block-v1:edX+DemoX+Demo_Course+type@lti_consumer+block@3"));
        c.put(LTI + "launch_presentation", Map.of("document_target", "iframe"));
        c.put(LTI + "tool_platform", Map.of("guid", "4c6d257d-2683-513f-ac76-b46c8480477b", "name", "Open edX Simulator"));
        return c;
    }
}
