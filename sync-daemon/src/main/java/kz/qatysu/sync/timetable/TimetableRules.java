package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.http.Json;
import kz.qatysu.connectors.portal.Section;
import kz.qatysu.connectors.portal.TimetableEntry;
import kz.qatysu.sync.engine.Desired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Timetable entries → Moodle course events and the tool's session lists. Pure. */
public final class TimetableRules {
    /** Put in every event the sync creates, so an interrupted run finds its own events again (Moodle has no event idnumber). */
    public static String marker(String entryId) {
        return "[qatysu:" + entryId + "]";
    }

    public Desired moodleEvent(TimetableEntry e, Section s) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("section", e.sectionCode());
        f.put("group", e.group() == null ? "" : e.group());
        f.put("name", capitalize(e.kind()) + ": " + (s == null ? e.sectionCode() : s.title()) + (e.group() == null ? "" : " (" + e.group() + ")"));
        StringBuilder d = new StringBuilder();
        if (e.room() != null) {
            d.append("Room ").append(e.room()).append(". ");
        }
        if (e.onlineUrl() != null) {
            d.append("Online: ").append(e.onlineUrl()).append(". ");
        }
        d.append(marker(e.id()));
        f.put("description", d.toString());
        f.put("timestart", Long.toString(e.start().toEpochSecond()));
        f.put("timeduration", Long.toString(Duration.between(e.start(), e.end()).toSeconds()));
        return Desired.of(e.id(), f);
    }

    /** The full planned timetable of one section, as the tool's PUT takes it. */
    public Desired toolSessions(String section, List<TimetableEntry> entries) {
        List<Map<String, Object>> sessions = new ArrayList<>();
        entries.stream().sorted(Comparator.comparing(TimetableEntry::start).thenComparing(TimetableEntry::id)).forEach(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessionId", e.id());
            m.put("start", e.start().toString());
            m.put("end", e.end().toString());
            m.put("kind", e.kind());
            m.put("hours", e.hours());
            m.put("room", e.room());
            m.put("onlineUrl", e.onlineUrl());
            if (e.group() != null) {
                // only when the portal names one, so the desired state of whole-section timetables stays as it was
                m.put("group", e.group());
            }
            sessions.add(m);
        });
        return Desired.of(section, Map.of("sessions", Json.write(sessions), "count", Integer.toString(sessions.size())));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
