package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.portal.TimetableEntry;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VideoCapacityTest {
    static TimetableEntry online(String id, String section, String from, String to, boolean cameras) {
        return new TimetableEntry(id, section, OffsetDateTime.parse("2026-09-02T" + from + ":00+05:00"),
                OffsetDateTime.parse("2026-09-02T" + to + ":00+05:00"), "lecture", 1, null, "https://bbb/" + id, true, cameras, null);
    }

    @Test
    void simultaneous_sessions_over_the_camera_capacity_are_reported_with_their_slot() {
        var entries = List.of(
                online("S-1", "A", "08:00", "08:50", true),
                online("S-2", "B", "08:00", "08:50", true),
                online("S-3", "C", "08:55", "09:45", true));
        var participants = VideoCapacity.participants(Map.of("A", 250, "B", 200, "C", 390), Map.of(), Map.of());

        var overloads = VideoCapacity.overloads(entries, participants, 400, 600);

        assertThat(overloads).singleElement().satisfies(o -> {
            assertThat(o.sessions()).containsExactly("S-1", "S-2");
            assertThat(o.withCameras()).isEqualTo(452);
            assertThat(o.toString()).startsWith("2026-09-02 08:00–08:50: 2 online sessions, 452 connections with cameras + 0 without = 113 % of capacity");
        });
    }

    @Test
    void cameras_off_sessions_count_against_the_larger_limit_and_mixed_slots_add_up() {
        var camerasOff = List.of(online("S-1", "A", "10:00", "10:50", false), online("S-2", "B", "10:00", "10:50", false));
        var p = VideoCapacity.participants(Map.of("A", 299, "B", 299), Map.of(), Map.of());
        assertThat(VideoCapacity.overloads(camerasOff, p, 400, 600)).as("600 of 600 is not over").isEmpty();

        var mixed = List.of(online("S-1", "A", "10:00", "10:50", true), online("S-2", "B", "10:00", "10:50", false));
        // 300/400 + 300/600 = 1.25
        assertThat(VideoCapacity.overloads(mixed, p, 400, 600)).singleElement()
                .satisfies(o -> assertThat(o.load()).isEqualTo(1.25));
    }

    @Test
    void classroom_sessions_and_separate_slots_do_not_add_up() {
        var entries = List.of(online("S-1", "A", "08:00", "08:50", true), online("S-2", "B", "08:50", "09:40", true),
                new TimetableEntry("S-3", "C", OffsetDateTime.parse("2026-09-02T08:00:00+05:00"),
                        OffsetDateTime.parse("2026-09-02T08:50:00+05:00"), "lecture", 1, "A-204", null, false, false, null));
        var p = VideoCapacity.participants(Map.of("A", 390, "B", 390, "C", 500), Map.of(), Map.of());
        assertThat(VideoCapacity.overloads(entries, p, 400, 600)).isEmpty();
    }
}
