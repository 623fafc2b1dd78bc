package kz.qatysu.sync.timetable;

import kz.qatysu.connectors.portal.TimetableEntry;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The video-capacity report: time slots where the online sessions running at the same moment would need more
 * connections than the video platform carries — by default 400 with cameras on, 600 with cameras off (DESIGN.md,
 * regulation 000 §3.3, §4.5). A slot with both kinds is over when {@code withCameras/400 + withoutCameras/600 > 1}.
 * Pure: the timetable and the expected participants per session in, the overloaded slots out.
 */
public final class VideoCapacity {
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private VideoCapacity() {
    }

    /** One overloaded time slot. */
    public record Overload(OffsetDateTime from, OffsetDateTime to, List<String> sessions, int withCameras, int withoutCameras,
                           double load) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s–%s: %d online sessions, %d connections with cameras + %d without = %.0f %% of capacity (%s)",
                    SLOT.format(from), TIME.format(to), sessions.size(), withCameras, withoutCameras, load * 100,
                    String.join(", ", sessions.size() > 8 ? sessions.subList(0, 8) : sessions) + (sessions.size() > 8 ? ", …" : ""));
        }
    }

    /**
     * @param participants expected connections of one session (its students and teachers)
     */
    public static List<Overload> overloads(List<TimetableEntry> entries, ToIntFunction<TimetableEntry> participants,
                                           int capacityWithCameras, int capacityWithoutCameras) {
        List<TimetableEntry> online = entries.stream().filter(TimetableEntry::online).toList();
        TreeSet<OffsetDateTime> bounds = new TreeSet<>(java.util.Comparator.comparing(OffsetDateTime::toInstant));
        online.forEach(e -> {
            bounds.add(e.start());
            bounds.add(e.end());
        });
        List<Overload> out = new ArrayList<>();
        OffsetDateTime prev = null;
        for (OffsetDateTime t : bounds) {
            if (prev != null) {
                OffsetDateTime from = prev;
                List<TimetableEntry> running = online.stream()
                        .filter(e -> !e.start().toInstant().isAfter(from.toInstant()) && e.end().toInstant().isAfter(from.toInstant()))
                        .toList();
                int with = 0;
                int without = 0;
                for (TimetableEntry e : running) {
                    if (e.cameras()) {
                        with += participants.applyAsInt(e);
                    } else {
                        without += participants.applyAsInt(e);
                    }
                }
                double load = (double) with / capacityWithCameras + (double) without / capacityWithoutCameras;
                if (load > 1.0) {
                    List<String> ids = running.stream().map(TimetableEntry::id).sorted().toList();
                    Overload last = out.isEmpty() ? null : out.getLast();
                    if (last != null && last.to().toInstant().equals(from.toInstant()) && last.sessions().equals(ids)) {
                        out.set(out.size() - 1, new Overload(last.from(), t, ids, with, without, load));
                    } else {
                        out.add(new Overload(from, t, ids, with, without, load));
                    }
                }
            }
            prev = t;
        }
        return out;
    }

    /** Expected connections per section: its enrolled students and teachers, or only a group's students. */
    public static ToIntFunction<TimetableEntry> participants(Map<String, Integer> perSection, Map<String, Integer> perSectionGroup,
                                                               Map<String, Integer> teachersPerSection) {
        return e -> {
            int teachers = teachersPerSection.getOrDefault(e.sectionCode(), 1);
            if (e.group() != null) {
                return perSectionGroup.getOrDefault(e.sectionCode() + "/" + e.group(), 0) + teachers;
            }
            return perSection.getOrDefault(e.sectionCode(), 0) + teachers;
        };
    }
}
