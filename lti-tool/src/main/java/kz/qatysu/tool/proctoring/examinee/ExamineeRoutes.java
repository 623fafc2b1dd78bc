package kz.qatysu.tool.proctoring.examinee;

import io.javalin.config.JavalinConfig;
import kz.qatysu.tool.web.UploadSlots;

/**
 * The examinee's routes of a proctored exam (registered from {@code Routes}): pages under
 * {@code /app/{launch}/exams/{examId}}, the JSON the pages' scripts call under {@code …/attempt/…} (uploads capped by
 * {@link UploadSlots}: refused as JSON with a short Retry-After; heartbeats and events are not uploads and never wait for
 * an upload slot), and the scripts themselves.
 */
public record ExamineeRoutes(ExamineeHandler examinee, UploadSlots uploads) {

    public void register(JavalinConfig config) {
        // JSON refusals with a short Retry-After; a resent snapshot (its id) or chunk (its index) joins its first send
        UploadSlots.Policy pictures = UploadSlots.proctoring(ctx -> null);
        UploadSlots.Policy snapshots = UploadSlots.proctoring(ctx -> ctx.queryParam("id") == null ? null : "snapshot " + ctx.queryParam("id"));
        UploadSlots.Policy chunks = UploadSlots.proctoring(ctx -> "chunk " + ctx.pathParam("index"));
        config.routes.get("/assets/proctoring/{name}", examinee::asset);
        config.routes.get("/app/{launch}/exams/{examId}", examinee::exam);
        config.routes.post("/app/{launch}/exams/{examId}/consent", examinee::consent);
        config.routes.post("/app/{launch}/exams/{examId}/refuse", examinee::refuse);
        config.routes.get("/app/{launch}/exams/{examId}/checks", examinee::checks);
        config.routes.get("/app/{launch}/exams/{examId}/monitor", examinee::monitor);
        config.routes.get("/app/{launch}/exams/{examId}/attempt", examinee::attempt);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/system-check", examinee::systemCheck);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/identity", uploads.limit(examinee::identity, pictures));
        config.routes.post("/app/{launch}/exams/{examId}/attempt/room-scan", uploads.limit(examinee::roomScan, pictures));
        config.routes.post("/app/{launch}/exams/{examId}/attempt/window", examinee::window);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/start", examinee::start);
        config.routes.put("/app/{launch}/exams/{examId}/attempt/recording/{index}", uploads.limit(examinee::chunk, chunks));
        config.routes.get("/app/{launch}/exams/{examId}/attempt/recording", examinee::recordingStatus);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/recording/finish", examinee::finish);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/snapshots", uploads.limit(examinee::snapshot, snapshots));
        config.routes.post("/app/{launch}/exams/{examId}/attempt/events", examinee::events);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/heartbeat", examinee::heartbeat);
        config.routes.post("/app/{launch}/exams/{examId}/attempt/end", examinee::end);
    }
}
