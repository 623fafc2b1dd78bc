package kz.qatysu.bench.lti;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the tool's CPU goes, from the execution samples of a JFR recording: each sample is charged to the first
 * frame, from the top of the stack down, that is not generic JDK plumbing (collections, strings, locks, I/O), and
 * that frame's package names the category. Also the hottest methods by top frame.
 */
final class JfrBreakdown {
    private static final List<Map.Entry<String, List<String>>> CATEGORIES = List.of(
            Map.entry("JSON (Jackson, nimbus' shaded Gson)", List.of("com.fasterxml.", "com.nimbusds.jose.shaded.")),
            Map.entry("JWT / RSA verification (nimbus, JCA)", List.of("com.nimbusds.", "sun.security.", "java.math.", "java.security.",
                    "javax.crypto.", "com.sun.crypto.")),
            Map.entry("PostgreSQL driver + Hikari + JDBI", List.of("org.postgresql.", "com.zaxxer.", "org.jdbi.")),
            Map.entry("HTML templates (JTE)", List.of("gg.jte.")),
            Map.entry("HTTP server (Jetty, Javalin)", List.of("org.eclipse.jetty.", "io.javalin.", "jakarta.servlet.", "kotlin.")),
            Map.entry("logging (Logback, SLF4J)", List.of("ch.qos.logback.", "org.slf4j.")),
            Map.entry("Qatysu tool code", List.of("kz.qatysu.")),
            Map.entry("JDK networking / NIO", List.of("sun.nio.", "java.nio.", "java.net.", "sun.net.")));
    private static final List<String> GENERIC_JDK = List.of("java.lang.", "java.util.", "java.io.", "jdk.internal.", "java.time.",
            "java.text.", "java.lang.invoke.", "java.base64.");

    record Breakdown(int samples, Map<String, Integer> byCategory, Map<String, Integer> hotMethods) {
        String markdown() {
            StringBuilder b = new StringBuilder("| where (first non-JDK-plumbing frame) | samples | share |\n|---|---:|---:|\n");
            byCategory.forEach((k, v) -> b.append(String.format("| %s | %d | %.1f %% |%n", k, v, 100.0 * v / samples)));
            b.append("\nHottest methods (top frame):\n\n| method | samples | share |\n|---|---:|---:|\n");
            hotMethods.forEach((k, v) -> b.append(String.format("| `%s` | %d | %.1f %% |%n", k, v, 100.0 * v / samples)));
            return b.toString();
        }
    }

    private JfrBreakdown() {
    }

    static Breakdown of(Path recording) throws IOException {
        Map<String, Integer> byCategory = new LinkedHashMap<>();
        Map<String, Integer> hot = new LinkedHashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame top = frames.getFirst();
            hot.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
            byCategory.merge(category(frames), 1, Integer::sum);
        }
        return new Breakdown(samples, sortDesc(byCategory, 20), sortDesc(hot, 15));
    }

    private static String category(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (var c : CATEGORIES) {
                if (c.getValue().stream().anyMatch(type::startsWith)) {
                    return c.getKey();
                }
            }
            if (GENERIC_JDK.stream().noneMatch(type::startsWith)) {
                return "other: " + type.substring(0, Math.max(0, type.lastIndexOf('.')));
            }
        }
        return "JDK only (GC-free runtime, threads, collections)";
    }

    private static Map<String, Integer> sortDesc(Map<String, Integer> m, int limit) {
        return m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }
}
