package kz.qatysu.tool.admission;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.testing.Api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** A section set up through the API as the sync daemon does it: title, students and a teacher, one-hour lectures. */
final class Sections {
    private Sections() {
    }

    /** {@code sessions} one-hour lectures {@code id-1…} from 2 September 2026; students as given, teacher T-7. */
    static void create(Api api, String id, int sessions, String... students) {
        api.ok(api.put("/api/v1/sections/" + id, "{\"title\": \"Section " + id
                + "\", \"termStart\": \"2026-09-01\", \"termEnd\": \"2026-12-25\"}"));
        List<String> people = new ArrayList<>();
        for (String s : students) {
            people.add("{\"personId\":\"" + s + "\",\"role\":\"student\"}");
        }
        people.add("{\"personId\":\"T-7\",\"role\":\"teacher\"}");
        api.ok(api.put("/api/v1/sections/" + id + "/enrolments", "[" + String.join(",", people) + "]"));
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= sessions; i++) {
            LocalDate day = LocalDate.of(2026, 9, 1).plusDays(i);
            out.add("{\"sessionId\":\"" + id + "-" + i + "\",\"start\":\"" + day + "T08:00:00+05:00\",\"end\":\"" + day
                    + "T08:50:00+05:00\",\"kind\":\"lecture\",\"hours\":1,\"room\":\"A-204\",\"onlineUrl\":null}");
        }
        api.ok(api.put("/api/v1/sections/" + id + "/sessions", "[" + String.join(",", out) + "]"));
    }

    static void absent(Api api, String sessionId, String person) {
        api.ok(api.put("/api/v1/sessions/" + sessionId + "/marks", "[{\"personId\":\"" + person + "\",\"status\":\"ABSENT\"}]"));
    }

    static String score(String person, String component, String points) {
        return "{\"personId\":\"" + person + "\",\"component\":\"" + component + "\",\"points\":" + points + "}";
    }

    static JsonNode admission(Api api, String section, String person) {
        JsonNode all = api.ok(api.get("/api/v1/sections/" + section + "/admission"));
        return StreamSupport.stream(all.spliterator(), false)
                .filter(r -> r.path("personId").asText().equals(person)).findFirst()
                .orElseThrow(() -> new AssertionError("no admission row for " + person + " in " + all));
    }
}
