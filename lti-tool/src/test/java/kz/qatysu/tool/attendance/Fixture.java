package kz.qatysu.tool.attendance;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** Builds request bodies shaped exactly like the sync daemon's ({@code connectors/qatysu/ToolModel}). */
final class Fixture {
    private Fixture() {
    }

    static String section(String title) {
        return "{\"title\": \"" + title + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}";
    }

    /** {@code count} one-hour lectures, one a day from 2 September 2026 at 08:00 Almaty time; ids {@code prefix-1…}. */
    static String sessions(String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(session(prefix + "-" + i, LocalDate.of(2026, 9, 1).plusDays(i), 1));
        }
        return "[" + String.join(",", out) + "]";
    }

    static String session(String id, LocalDate day, int hours) {
        return "{\"sessionId\":\"" + id + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":" + hours + ",\"room\":\"A-204\",\"onlineUrl\":null}";
    }

    static String students(String... ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add("{\"personId\":\"" + id + "\",\"role\":\"student\"}");
        }
        return "[" + String.join(",", out) + ",{\"personId\":\"T-7\",\"role\":\"teacher\"}]";
    }

    static String absent(String... persons) {
        List<String> out = new ArrayList<>();
        for (String p : persons) {
            out.add("{\"personId\":\"" + p + "\",\"status\":\"ABSENT\"}");
        }
        return "[" + String.join(",", out) + "]";
    }

    static JsonNode row(JsonNode standing, String personId) {
        return StreamSupport.stream(standing.spliterator(), false)
                .filter(r -> r.path("personId").asText().equals(personId)).findFirst()
                .orElseThrow(() -> new AssertionError("no standing row for " + personId + " in " + standing));
    }
}
