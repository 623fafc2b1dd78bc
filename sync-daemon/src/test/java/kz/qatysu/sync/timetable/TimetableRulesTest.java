package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.portal.TimetableEntry;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tool's session list built from the portal's timetable: the academic group of a group session travels along. */
class TimetableRulesTest {
    static TimetableEntry entry(String id, String group) {
        OffsetDateTime start = OffsetDateTime.parse("2026-09-02T10:00:00+05:00");
        return new TimetableEntry(id, "ALG-2026-1", start, start.plusMinutes(100), "seminar", 2, "B-1", null, false, false, group);
    }

    @Test
    void a_group_session_carries_its_group_and_a_whole_section_session_carries_none() {
        String sessions = new TimetableRules().toolSessions("ALG-2026-1",
                List.of(entry("S-2", "ИС-24-1"), entry("S-1", null))).fields().get("sessions");
        assertThat(sessions).contains("\"sessionId\":\"S-2\"", "\"group\":\"ИС-24-1\"");
        assertThat(sessions.substring(sessions.indexOf("\"S-1\""), sessions.indexOf("\"S-2\""))).doesNotContain("group");
    }

    @Test
    void a_timetable_without_groups_is_the_same_desired_state_as_before_groups_were_sent() {
        String sessions = new TimetableRules().toolSessions("ALG-2026-1", List.of(entry("S-1", null))).fields().get("sessions");
        assertThat(sessions).isEqualTo("[{\"sessionId\":\"S-1\",\"start\":\"2026-09-02T10:00+05:00\",\"end\":\"2026-09-02T11:40+05:00\","
                + "\"kind\":\"seminar\",\"hours\":2,\"room\":\"B-1\",\"onlineUrl\":null}]");
    }
}
