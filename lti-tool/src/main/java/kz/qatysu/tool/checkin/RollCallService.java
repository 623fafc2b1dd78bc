package kz.qatysu.tool.checkin;

import kz.qatysu.tool.attendance.sections.Enrolment;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Roll calls (regulation 000 §4.8: real presence in an online class confirmed by periodic roll call). Students who
 * do not confirm before the deadline are flagged for the teacher — never marked absent automatically: a dropped
 * connection is not an absence until the teacher decides it is.
 */
public final class RollCallService {
    public static final int DEFAULT_SECONDS = 60;

    private static final RowMapper<RollCall> ROLL_CALL = (rs, ctx) -> new RollCall(rs.getLong("id"), rs.getString("session_id"),
            rs.getString("section_id"), rs.getString("started_by"), rs.getObject("started_at", OffsetDateTime.class).toInstant(),
            rs.getObject("deadline", OffsetDateTime.class).toInstant());

    private final Jdbi jdbi;
    private final SectionRepository sections;
    private final Clock clock;

    public RollCallService(Jdbi jdbi, SectionRepository sections, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.sections = Objects.requireNonNull(sections, "sections");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Instant now() {
        return clock.instant();
    }

    public RollCall start(String sectionId, String sessionId, int seconds, String by) {
        if (seconds < 10 || seconds > 1800) {
            throw new IllegalArgumentException("seconds must be 10…1800, was " + seconds);
        }
        Instant at = clock.instant();
        return jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO roll_call (session_id, section_id, started_by, started_at, deadline)
                        VALUES (:session, :section, :by, :at, :deadline) RETURNING *""")
                .bind("session", sessionId).bind("section", sectionId).bind("by", by).bind("at", at)
                .bind("deadline", at.plus(Duration.ofSeconds(seconds))).map(ROLL_CALL).one());
    }

    public Optional<RollCall> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM roll_call WHERE id = :id").bind("id", id).map(ROLL_CALL).findOne());
    }

    public List<RollCall> ofSession(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM roll_call WHERE session_id = :s ORDER BY id DESC")
                .bind("s", sessionId).map(ROLL_CALL).list());
    }

    /** The section's roll call still waiting for answers, newest first. */
    public Optional<RollCall> running(String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM roll_call WHERE section_id = :s AND deadline >= :now ORDER BY started_at DESC, id DESC LIMIT 1""")
                .bind("s", sectionId).bind("now", clock.instant()).map(ROLL_CALL).findOne());
    }

    public boolean confirmed(long rollCallId, String personId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM roll_call_response WHERE roll_call_id = :r AND person_id = :p")
                .bind("r", rollCallId).bind("p", personId).mapTo(Integer.class).one() > 0);
    }

    public enum Confirmation { CONFIRMED, ALREADY, TOO_LATE, NOT_ENROLLED }

    public Confirmation confirm(RollCall rc, String personId, String ip) {
        Instant at = clock.instant();
        if (!rc.running(at)) {
            return Confirmation.TOO_LATE;
        }
        Enrolment e = jdbi.withHandle(h -> sections.enrolments(h, rc.sectionId())).get(personId);
        if (e == null || e.withdrawn() || e.role() != Enrolment.Role.STUDENT) {
            return Confirmation.NOT_ENROLLED;
        }
        int n = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO roll_call_response (roll_call_id, person_id, confirmed_at, ip) VALUES (:r, :p, :at, :ip)
                        ON CONFLICT DO NOTHING""")
                .bind("r", rc.id()).bind("p", personId).bind("at", at).bind("ip", ip).execute());
        return n == 1 ? Confirmation.CONFIRMED : Confirmation.ALREADY;
    }

    /** One enrolled student's answer: confirmed at, or null (pending while running, flagged after the deadline). */
    public record Answer(String personId, Instant confirmedAt, boolean flagged) {
    }

    /** Every student enrolled now, in person-id order, with their answer. */
    public List<Answer> results(RollCall rc) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> {
            Map<String, Instant> confirmed = new LinkedHashMap<>();
            h.createQuery("SELECT person_id, confirmed_at FROM roll_call_response WHERE roll_call_id = :r")
                    .bind("r", rc.id())
                    .map((rs, ctx) -> Map.entry(rs.getString("person_id"), rs.getObject("confirmed_at", OffsetDateTime.class).toInstant()))
                    .forEach(en -> confirmed.put(en.getKey(), en.getValue()));
            return sections.enrolments(h, rc.sectionId()).values().stream()
                    .filter(en -> !en.withdrawn() && en.role() == Enrolment.Role.STUDENT)
                    .map(Enrolment::personId).sorted()
                    .map(p -> new Answer(p, confirmed.get(p), confirmed.get(p) == null && !rc.running(now)))
                    .toList();
        });
    }
}
