package kz.qatysu.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real tool, as {@code ./qatysu tool} runs it, in a JVM of its own: marks written through the REST API, the tool
 * killed with SIGKILL mid-burst (with its postmaster, and alone), restarted on the same data directory. Every write
 * answered 2xx is there afterwards, and each restart comes up by itself.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashRestartTest {
    static final String TOKEN = "crash-test-admin-token-0123456789";
    static final int STUDENTS = 60;
    static final int SESSIONS = 10;

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<Process> tools = new ArrayList<>();
    int port;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : tools) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        EmbeddedServers.killPostmaster(dataDir, "tool");
    }

    @Test
    void every_acknowledged_mark_survives_kill_9_of_the_tool_and_its_postmaster_and_of_the_tool_alone() throws Exception {
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process tool = startTool();
        setUp();

        // 1: the tool and its postmaster die together, mid-burst
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        burstThenKill(tool, acknowledged, 0);
        EmbeddedServers.killPostmaster(dataDir, "tool");
        assertThat(acknowledged).as("writes answered before the kill").isNotEmpty();

        tool = startTool(); // comes up by itself: crash recovery replays the WAL
        assertThat(storedMarks()).containsAll(acknowledged);

        // 2: the tool alone dies mid-burst; its postmaster keeps running, an orphan
        long orphan = EmbeddedServers.postmasterPid(dataDir, "tool").orElseThrow();
        burstThenKill(tool, acknowledged, SESSIONS / 2);
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the postmaster outlived the tool").contains(true);

        startTool(); // comes up by itself: the orphan is stopped first
        assertThat(storedMarks()).containsAll(acknowledged);
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** Concurrent writers, one mark per request, until enough were answered; then SIGKILL of the tool's JVM. */
    private void burstThenKill(Process tool, Set<String> acknowledged, int firstSession) throws Exception {
        int before = acknowledged.size();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(6);
        for (int w = 0; w < 6; w++) {
            int writer = w;
            writers.submit(() -> {
                for (int i = writer; !stop.get() && i < (SESSIONS / 2) * STUDENTS; i += 6) {
                    String session = "CR-" + (firstSession + i / STUDENTS + 1);
                    String person = "P-" + (i % STUDENTS + 1);
                    try {
                        int status = send("PUT", "/api/v1/sessions/" + session + "/marks",
                                "[{\"personId\":\"" + person + "\",\"status\":\"ABSENT\"}]");
                        if (status / 100 == 2) {
                            acknowledged.add(session + "/" + person);
                        }
                    } catch (IOException e) {
                        return null; // the tool is gone
                    }
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (acknowledged.size() < before + 40 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        tool.destroyForcibly(); // SIGKILL, while the writers are still writing
        tool.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged.size()).as("writes answered in this burst").isGreaterThan(before);
    }

    private void setUp() throws Exception {
        assertThat(send("PUT", "/api/v1/sections/CR", "{\"title\": \"Crash\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}") / 100).isEqualTo(2);
        List<String> people = new ArrayList<>();
        for (int i = 1; i <= STUDENTS; i++) {
            people.add("{\"personId\":\"P-" + i + "\",\"role\":\"student\"}");
        }
        assertThat(send("PUT", "/api/v1/sections/CR/enrolments", "[" + String.join(",", people) + "]") / 100).isEqualTo(2);
        List<String> sessions = new ArrayList<>();
        for (int i = 1; i <= SESSIONS; i++) {
            String day = "2026-09-" + String.format("%02d", i + 1);
            sessions.add("{\"sessionId\":\"CR-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\",\"onlineUrl\":null}");
        }
        assertThat(send("PUT", "/api/v1/sections/CR/sessions", "[" + String.join(",", sessions) + "]") / 100).isEqualTo(2);
    }

    private Set<String> storedMarks() throws Exception {
        Set<String> out = new HashSet<>();
        try (var c = EmbeddedServers.connect(dataDir, "tool"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT session_id, person_id FROM mark")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return out;
    }

    /** {@code ./qatysu tool} in a JVM of its own; returns once it answers HTTP. */
    private Process startTool() throws Exception {
        return ToolJvm.start(dataDir, port, TOKEN, Map.of(), tools, http, "/api/v1/sections/CR/standing");
    }

    private int send(String method, String path, String json) throws IOException {
        return ToolJvm.send(http, port, TOKEN, method, path, json);
    }
}
