package kz.qatysu.sync.alerts;

import kz.qatysu.connectors.http.HttpConnector;
import kz.qatysu.connectors.http.HttpFailure;
import kz.qatysu.connectors.http.HttpRequestSpec;
import kz.qatysu.connectors.http.HttpResult;
import kz.qatysu.connectors.http.Json;
import kz.qatysu.sync.SyncRunReport;
import kz.qatysu.sync.engine.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells a person when a run needs one: the safety valve refused a plan, a source was unreadable, a target stopped
 * the run, or the run failed. Posts JSON to a webhook — {@code text} for Slack / Mattermost / Rocket.Chat style
 * incoming webhooks, plus the run's facts for anything else. A webhook that fails is logged, never fails the run.
 */
public final class Alerts {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final Set<RunStatus> ALERTING = Set.of(RunStatus.REFUSED, RunStatus.SOURCE_FAILED, RunStatus.TARGET_FAILED,
            RunStatus.FAILED);

    private final HttpConnector webhook;

    public Alerts(HttpConnector webhook) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
    }

    public void onRun(SyncRunReport r) {
        if (!ALERTING.contains(r.status()) || (r.status() == RunStatus.REFUSED && r.forced())) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text(r));
        body.put("job", r.job());
        body.put("run", r.runId());
        body.put("status", r.status().name());
        body.put("exitCode", r.exitCode());
        body.put("message", r.message());
        body.put("refusals", r.refusals());
        try {
            HttpResult result = webhook.send(HttpRequestSpec.json("POST", webhook.settings().baseUrl().toString(), Json.write(body))
                    .idempotent(true).describedAs("alert webhook"));
            if (!result.isSuccess()) {
                log.warn("alert webhook answered HTTP {} for job={} run={}", result.status(), r.job(), r.runId());
            }
        } catch (HttpFailure e) {
            log.warn("alert webhook unreachable for job={} run={}: {}", r.job(), r.runId(), e.getMessage());
        }
    }

    static String text(SyncRunReport r) {
        String head = "Qatysu sync: job '" + r.job() + "' " + switch (r.status()) {
            case REFUSED -> "was REFUSED by the safety valve — nothing was written";
            case SOURCE_FAILED -> "could not read its source — nothing was written";
            case TARGET_FAILED -> "was stopped by a target";
            default -> "FAILED";
        } + " (run #" + r.runId() + ", exit " + r.exitCode() + ").";
        List<String> lines = r.refusals().isEmpty() ? (r.message() == null ? List.of() : List.of(r.message())) : r.refusals();
        return head + (lines.isEmpty() ? "" : "\n" + String.join("\n", lines))
                + (r.status() == RunStatus.REFUSED ? "\nCheck the source; if the change is real: ./qatysu sync run " + r.job() + " --force" : "");
    }
}
