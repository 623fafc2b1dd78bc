package kz.qatysu.tool.locks;

import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.RunningTool;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tool nodes on one database run their 15 s publishing timers independently; when their passes overlap (a slow
 * LMS makes a pass long), each score is still posted once: the pass runs on one node at a time (a cluster lock), not
 * once per node that read the same due rows.
 */
class AdmissionScoresOnTwoNodesTest extends MoodleAgsCourse {
    @Test
    void passes_of_two_nodes_at_the_same_time_post_each_score_and_create_each_line_item_once() throws Exception {
        for (String item : List.of("7", "8")) {
            lms.stubFor(post(urlPathEqualTo("/mod/lti/services.php/2/lineitems/" + item + "/lineitem/scores"))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(700)));
        }
        launchAsStudent(new Browser());
        try (RunningTool second = tool.anotherNode(Map.of(), clock)) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> passes = List.of(tool, second).stream().map(node -> CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                node.app().publishAdmissionScores();
            })).toList();
            go.countDown();
            CompletableFuture.allOf(passes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(scores()).as("attendance admission posted once").hasSize(1);
            assertThat(examScores()).as("final exam admission posted once").hasSize(1);
            assertThat(lms.findAll(postRequestedFor(urlPathEqualTo("/mod/lti/services.php/2/lineitems"))))
                    .as("each line item created once").hasSize(2);

            second.app().publishAdmissionScores(); // the other node's next turn: nothing is due any more
            tool.app().publishAdmissionScores();
            assertThat(scores()).hasSize(1);
            assertThat(examScores()).hasSize(1);
        }
    }
}
