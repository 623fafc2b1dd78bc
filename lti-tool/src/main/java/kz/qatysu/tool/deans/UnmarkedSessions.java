package kz.qatysu.tool.deans;

import io.javalin.http.Context;
import kz.qatysu.tool.reports.PersonNames;
import kz.qatysu.tool.web.Messages;
import kz.qatysu.tool.web.Pages;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * {@code GET /admin/unmarked-sessions}: the dean's office's list of sections with held sessions that are over and have
 * no mark at all (issue 12 §5), most such sessions first, with the oldest one and the section's teachers — only the
 * sections {@link AdminGate#sections} lets the signed-in office see (its faculties; every section for a token session).
 */
public final class UnmarkedSessions {
    private final AdminGate gate;
    private final Jdbi jdbi;
    private final PersonNames names;
    private final Pages pages;
    private final Clock clock;

    public UnmarkedSessions(AdminGate gate, Jdbi jdbi, PersonNames names, Pages pages, Clock clock) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.names = Objects.requireNonNull(names, "names");
        this.pages = Objects.requireNonNull(pages, "pages");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param oldest the start of the oldest unmarked session, as shown; {@code teachers} names, comma-separated */
    public record Row(String sectionId, String title, int unmarked, String oldest, String teachers) {
    }

    public record Page(Messages t, List<Row> sections) {
    }

    private record Counted(String sectionId, String title, int unmarked, Instant oldest) {
    }

    public void page(Context ctx) {
        Predicate<String> visible = gate.sections(gate.page(ctx));
        Messages t = gate.messages(ctx);
        List<Counted> counted = jdbi.withHandle(h -> h.createQuery("""
                        SELECT c.section_id, s.title, count(*) AS unmarked, min(c.starts_at) AS oldest
                        FROM class_session c JOIN section s ON s.section_id = c.section_id
                        WHERE c.cancelled_at IS NULL AND c.ends_at < :now
                          AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.session_id = c.session_id)
                        GROUP BY c.section_id, s.title
                        ORDER BY unmarked DESC, c.section_id""")
                .bind("now", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .map((rs, c) -> new Counted(rs.getString("section_id"), rs.getString("title"), rs.getInt("unmarked"),
                        rs.getObject("oldest", OffsetDateTime.class).toInstant()))
                .list()).stream().filter(r -> visible.test(r.sectionId())).toList();
        Map<String, List<String>> teachers = new HashMap<>();
        if (!counted.isEmpty()) {
            jdbi.useHandle(h -> h.createQuery("""
                            SELECT section_id, person_id FROM enrolment
                            WHERE section_id = ANY(:ids) AND role = 'teacher' AND withdrawn_at IS NULL
                            ORDER BY section_id, person_id""")
                    .bind("ids", counted.stream().map(Counted::sectionId).toArray(String[]::new))
                    .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> teachers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
        }
        Map<String, String> known = names.of(teachers.values().stream().flatMap(List::stream).distinct().toList());
        List<Row> rows = counted.stream().map(c -> new Row(c.sectionId(), c.title(), c.unmarked(), t.dateTime(c.oldest()),
                String.join(", ", teachers.getOrDefault(c.sectionId(), List.of()).stream()
                        .map(id -> known.getOrDefault(id, id)).toList()))).toList();
        pages.html(ctx, "deans/unmarked.jte", new Page(t, rows));
    }
}
