package kz.qatysu.tool.proctoring.analysis;

import kz.qatysu.tool.excuses.DeansFixture;
import kz.qatysu.tool.proctoring.exams.Exam;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The face models are loaded when the tool starts while a proctored exam is open or opens within the hour — not by
 * the first snapshot — and {@code /ready} says so; an exam further away does not load them.
 */
class FaceModelsAtStartTest {

    @Test
    void a_tool_started_while_a_proctored_exam_is_open_loads_the_face_models_before_any_request_and_is_ready() throws Exception {
        try (DeansFixture f = DeansFixture.start(Map.of())) {
            Instant now = Instant.now();
            insert(f, "exm-later", now.plus(Duration.ofHours(2)));
            assertThat(f.tool.app().loadFaceModelsForDueExams()).as("an exam two hours away loads nothing").isFalse();
            assertThat(f.tool.app().faceAnalysis().loaded()).isFalse();

            insert(f, "exm-open", now.minus(Duration.ofMinutes(5)));
            // a node started now (on the same database) loads the models by itself: no snapshot, no /ready probe
            try (RunningTool node = f.tool.anotherNode(Map.of("QATYSU_DATA_DIR", f.dataDir.toString()), Clock.systemUTC())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!node.app().faceAnalysis().loaded() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(node.app().faceAnalysis().loaded()).as("models loaded at start").isTrue();
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/ready"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).contains("\"faceModels\":\"up\"");
            }
        }
    }

    private static void insert(DeansFixture f, String id, Instant opens) {
        Instant now = Instant.now();
        Exam e = new Exam(id, DeansFixture.SECTION, "Exam " + id, Exam.ExamKind.MIDTERM, opens, opens.plus(Duration.ofHours(2)),
                true, Exam.Checks.NONE, 10, true, 2, 1, "T-7", now, "T-7", now);
        f.tool.database().jdbi().useHandle(h -> f.tool.app().proctoredExams().insert(h, e));
    }
}
