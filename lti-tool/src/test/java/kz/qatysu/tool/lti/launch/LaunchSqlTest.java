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
    static final List<Ran> statements = new CopyOnWriteArrayList<>();
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
                    boolean autoCommit;
                    try {
                        autoCommit = context.getConnection().getAutoCommit();
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    statements.add(new Ran(Thread.currentThread(), context.getRenderedSql().strip().replaceAll("\\s+", " "), autoCommit));
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

    /** One statement: the thread that ran it, its SQL, and whether it ran auto-committed (outside a transaction). */
    record Ran(Thread thread, String sql, boolean autoCommit) {
    }

    /** What the launch POST ran: on the thread that recorded its nonce, so background jobs do not count. */
    record Counted(HttpResponse<String> response, List<String> statements, int handles, boolean allAutoCommitted) {
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
        Thread launch = statements.stream().filter(e -> e.sql().contains("INSERT INTO lti_nonce")).map(Ran::thread)
                .findFirst().orElseThrow(() -> new AssertionError("the launch recorded no nonce: " + statements));
        // the platform registry's refresh (a cache of 2 s, one read on its own short checkout before the launch's
        // connection) is not the launch's: on a loaded machine it can fall between the login and the launch
        List<Ran> registry = statements.stream().filter(e -> e.thread() == launch && e.sql().startsWith("SELECT id, issuer")).toList();
        List<Ran> mine = statements.stream().filter(e -> e.thread() == launch && !registry.contains(e)).toList();
        return new Counted(r, mine.stream().map(Ran::sql).toList(),
                (int) handles.stream().filter(t -> t == launch).count() - registry.size(), mine.stream().allMatch(Ran::autoCommit));
    }

    @Test
    void an_open_edx_launch_without_section_person_or_name_runs_three_statements_first_and_two_auto_committed_when_the_user_returns() {
        Counted first = countedLaunch((nonce, target) -> openEdx(nonce, target, "edx-learner-7"));
        assertThat(first.response().statusCode()).as(first.response().body()).isEqualTo(303);
        assertThat(first.handles()).as("pool checkouts (JDBI handles) of the launch POST: %s", first.statements()).isEqualTo(1);
        // one look-up of section / login / known name / stored platform user, the nonce with the session, the platform user
        assertThat(first.statements()).as(String.join("\n", first.statements())).hasSize(3)
                .noneMatch(s -> s.contains("lti_login_state"));
        assertThat(first.statements().getFirst()).contains("FROM (SELECT 1) one");
        assertThat(first.statements().get(2)).startsWith("INSERT INTO lti_user");
        assertThat(first.allAutoCommitted()).as("the first launch writes two rows in one transaction").isFalse();

        Counted again = countedLaunch((nonce, target) -> openEdx(nonce, target, "edx-learner-7"));
        assertThat(again.response().statusCode()).as(again.response().body()).isEqualTo(303);
        assertThat(again.handles()).isEqualTo(1);
        // nothing changed: the look-up, then the nonce with the session, each auto-committed (no BEGIN / COMMIT)
        assertThat(again.statements()).as(String.join("\n", again.statements())).hasSize(2);
        assertThat(again.statements().get(1)).contains("INSERT INTO lti_nonce").contains("INSERT INTO tool_session");
        assertThat(again.allAutoCommitted()).isTrue();
    }

    @Test
    void a_moodle_launch_writes_user_link_and_name_once_and_only_the_nonce_and_session_when_nothing_changed() {
        Counted first = countedLaunch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
        assertThat(first.response().statusCode()).as(first.response().body()).isEqualTo(303);
        assertThat(first.handles()).as("pool checkouts (JDBI handles) of the launch POST: %s", first.statements()).isEqualTo(1);
        // look-up, nonce with session, platform user, course link (the AGS claim), the name the launch sent
        assertThat(first.statements()).as(String.join("\n", first.statements())).hasSize(5);
        assertThat(first.allAutoCommitted()).isFalse();

        Counted again = countedLaunch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
        assertThat(again.response().statusCode()).as(again.response().body()).isEqualTo(303);
        assertThat(again.handles()).isEqualTo(1);
        assertThat(again.statements()).as(String.join("\n", again.statements())).hasSize(2)
                .noneMatch(s -> s.contains("INSERT INTO person ") || s.contains("INSERT INTO course_link") || s.contains("INSERT INTO lti_user"));
        assertThat(again.allAutoCommitted()).isTrue();

        // a changed name is written again (in a transaction with the nonce and session), the rest left as stored
        Counted renamed = countedLaunch((nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
            c.put("name", "Renamed Student");
            return c;
        });
        assertThat(renamed.response().statusCode()).as(renamed.response().body()).isEqualTo(303);
        assertThat(renamed.statements()).as(String.join("\n", renamed.statements())).hasSize(3);
        assertThat(renamed.statements().get(2)).startsWith("INSERT INTO person ");
        assertThat(renamed.allAutoCommitted()).isFalse();
        int renamedRows = tool.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM person WHERE display_name = 'Renamed Student'").mapTo(Integer.class).one());
        assertThat(renamedRows).isEqualTo(1);
    }

    @Test
    void a_nonce_another_node_already_recorded_is_refused_stores_no_session_and_the_state_stays_spent() {
        LtiFlow flow = new LtiFlow(tool, platform, new Browser());
        Map<String, String> auth = flow.login();
        // the nonce was recorded a moment ago (the same id_token posted to the other node of the cluster)
        tool.database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO lti_nonce (platform_id, nonce, expires_at) VALUES (?, ?, now() + interval '1 hour')", platformId, auth.get("nonce")));
        int sessionsBefore = sessionCount();
        String token = platform.sign(openEdx(auth.get("nonce"), flow.targetLinkUri(), "edx-learner-8"));

        HttpResponse<String> r = flow.post(token, auth.get("state"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("NONCE_REPLAYED");
        assertThat(sessionCount()).isEqualTo(sessionsBefore);
        assertThat(flow.post(token, auth.get("state")).body()).contains("NONCE_REPLAYED");
        assertThat(sessionCount()).isEqualTo(sessionsBefore);
    }

    private static int sessionCount() {
        return tool.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM tool_session").mapTo(Integer.class).one());
    }

    /** Claims as Open edX's xblock-lti-consumer sends them without PII (the benchmark's shape). */
    static Map<String, Object> openEdx(String nonce, String target, String subject) {
        Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
        for (String drop : List.of(LTI + "lis", LTI + "ext", LTI + "custom", "name", "given_name", "family_name", "email",
                "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint", "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice")) {
            c.remove(drop);
        }
        c.put("sub", subject);
        c.put(LTI + "context", Map.of("id", "course-v1:edX+DemoX+Demo_Course", "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")));
        c.put(LTI + "resource_link", Map.of("id", "block-v1:edX+DemoX+Demo_Course+type@lti_consumer+block@3"));
        c.put(LTI + "launch_presentation", Map.of("document_target", "iframe"));
        c.put(LTI + "tool_platform", Map.of("guid", "4c6d257d-2683-513f-ac76-b46c8480477b", "name", "Open edX Simulator"));
        return c;
    }
}
