package kz.qatysu.tool.proctoring.examinee;

import kz.qatysu.tool.web.Messages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The texts the examinee's scripts show, in the page's language: the pages carry them as {@code data-key} spans, the
 * scripts fill in {@code {0}} themselves.
 */
final class ExamineeTexts {
    private static final List<String> CHECKS = List.of(
            "examinee.system.browser.ok", "examinee.system.browser.bad", "examinee.system.camera.ok",
            "examinee.system.camera.bad", "examinee.system.mic.ok", "examinee.system.mic.bad", "examinee.system.mic.silent",
            "examinee.system.screen.ok", "examinee.system.screen.bad", "examinee.system.screen.none",
            "examinee.system.screen.notRequired", "examinee.system.passed", "examinee.identity.tries",
            "examinee.identity.verified", "examinee.identity.mismatch", "examinee.identity.flagged",
            "examinee.identity.notRequired", "examinee.identity.refused", "examinee.room.recording", "examinee.room.done",
            "examinee.error");
    private static final List<String> MONITOR = List.of(
            "examinee.monitor.running", "examinee.monitor.pending", "examinee.monitor.offline", "examinee.monitor.ending",
            "examinee.monitor.ended", "examinee.monitor.leave", "examinee.monitor.screenStopped",
            "examinee.monitor.cameraStopped", "examinee.summary", "examinee.error", "examinee.system.screen.bad",
            "examinee.system.camera.bad");

    private ExamineeTexts() {
    }

    static Map<String, String> checks(Messages t) {
        return of(t, CHECKS);
    }

    static Map<String, String> monitor(Messages t) {
        return of(t, MONITOR);
    }

    private static Map<String, String> of(Messages t, List<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            String raw = t.t(k);
            // a text with placeholders is formatted (apostrophes unescaped) with the placeholders kept for the script
            out.put(k, raw.contains("{0}") ? t.t(k, "{0}", "{1}", "{2}", "{3}") : raw);
        }
        return out;
    }
}
