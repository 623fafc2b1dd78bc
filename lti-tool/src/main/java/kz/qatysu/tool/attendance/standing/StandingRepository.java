package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.marks.MarkRepository;
import kz.qatysu.tool.attendance.rules.Mark;
import kz.qatysu.tool.attendance.rules.PlannedSession;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingOverride;
import kz.qatysu.tool.attendance.rules.StandingReason;
import kz.qatysu.tool.attendance.rules.StandingState;
import kz.qatysu.tool.attendance.rules.StateTransition;
import kz.qatysu.tool.web.Messages;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the standing computation reads and writes: the section's timetable, its enrolled students, their
 * marks and overrides, the stored standing and its history. Every method runs on the caller's handle.
 */
public final class StandingRepository {
    /** Told of every transition appended to the history (the metrics' {@code qatysu_standing_transitions_total}). */
    public interface TransitionListener {
        void transition(StandingState from, StandingState to);
    }

    private final TransitionListener listener;

    public StandingRepository() {
        this((from, to) -> { });
    }

    public StandingRepository(TransitionListener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * An enrolled (not withdrawn) student, the day they joined (null when from the start) and their academic group
     * (null when unknown), which decides the group sessions that count for them.
     */
    public record Student(String personId, LocalDate since, String group) {
    }

    /** A stored standing and when it was computed. */
    public record StoredStanding(String personId, Standing standing, Instant computedAt) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static Map<String, Object> object(String json) {
        try {
            return json == null ? null : JSON.readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the standing tables", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final RowMapper<StoredStanding> STANDING = (rs, ctx) -> {
        Optional<StandingOverride> override = rs.getString("override_decision") == null ? Optional.empty()
                : Optional.of(new StandingOverride(StandingOverride.Decision.valueOf(rs.getString("override_decision")),
                rs.getString("override_reason"), rs.getString("override_by"),
                rs.getObject("override_at", OffsetDateTime.class).toInstant()));
        Standing s = new Standing(rs.getInt("planned_hours"), rs.getInt("absent_hours"), rs.getInt("late_count"),
                rs.getInt("late_absence_hours"), rs.getInt("excused_hours"), rs.getBigDecimal("absence_share"),
                StandingState.valueOf(rs.getString("computed_state")), override,
                new StandingReason(StandingReason.Code.valueOf(rs.getString("reason_code")), object(rs.getString("reason_args"))),
                rs.getInt("absence_budget"));
        return new StoredStanding(rs.getString("person_id"), s, rs.getObject("computed_at", OffsetDateTime.class).toInstant());
    };

    private static final String STANDING_COLUMNS = """
            st.person_id, st.planned_hours, st.absent_hours, st.late_count, st.late_absence_hours, st.excused_hours,
            st.absence_share, st.computed_state, st.override_decision, st.override_reason, st.override_by,
            st.override_at, st.reason_code, st.reason_args, st.absence_budget, st.computed_at""";

    /** Enrolled students of the section; {@code persons} null = all of them. */
    public List<Student> students(Handle h, String sectionId, Collection<String> persons) {
        return h.createQuery("""
                        SELECT person_id, since, academic_group FROM enrolment
                        WHERE section_id = :section AND role = 'student' AND withdrawn_at IS NULL
                          AND (CAST(:all AS BOOLEAN) OR person_id = ANY(:persons))
                        ORDER BY person_id""")
                .bind("section", sectionId).bind("all", persons == null)
                .bind("persons", persons == null ? new String[0] : persons.toArray(String[]::new))
                .map((rs, ctx) -> new Student(rs.getString("person_id"), rs.getObject("since", LocalDate.class),
                        rs.getString("academic_group")))
                .list();
    }

    /**
     * The section's whole timetable, cancelled sessions and every group's sessions included, each start at the offset
     * of the institution's zone ({@code ui.timeZone}) on that day, so that {@link PlannedSession#date()} is the day
     * people there call it whatever offset the timetable was sent in (19:30Z is 00:30 the next day in Almaty: for a
     * student who joined that next day, the session counts).
     */
    public List<PlannedSession> timetable(Handle h, String sectionId) {
        return h.createQuery("""
                        SELECT session_id, starts_at, hours, cancelled_at IS NOT NULL AS cancelled,
                               academic_group
                        FROM class_session WHERE section_id = :section ORDER BY starts_at, session_id""")
                .bind("section", sectionId)
                .map((rs, ctx) -> new PlannedSession(rs.getString("session_id"),
                        rs.getObject("starts_at", OffsetDateTime.class)
                                .atZoneSameInstant(kz.qatysu.tool.web.Messages.zone()).toOffsetDateTime(),
                        rs.getInt("hours"), rs.getBoolean("cancelled"), rs.getString("academic_group")))
                .list();
    }

    /** Marks of the given students on the section's sessions: person → session id → mark. */
    public Map<String, Map<String, Mark>> marks(Handle h, String sectionId, Collection<String> persons) {
        Map<String, Map<String, Mark>> out = new HashMap<>();
        h.createQuery("""
                        SELECT m.person_id, m.session_id, m.status, m.late_minutes, m.reason
                        FROM mark m JOIN class_session s ON s.session_id = m.session_id
                        WHERE s.section_id = :section AND m.person_id = ANY(:persons)""")
                .bind("section", sectionId).bind("persons", persons.toArray(String[]::new))
                .map(MarkRepository.PERSON_MARK)
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(e.getValue().sessionId(), e.getValue()));
        return out;
    }

    public Map<String, StandingOverride> activeOverrides(Handle h, String sectionId, Collection<String> persons) {
        Map<String, StandingOverride> out = new HashMap<>();
        h.createQuery("""
                        SELECT person_id, decision, reason, set_by, set_at FROM standing_override
                        WHERE section_id = :section AND person_id = ANY(:persons) AND withdrawn_at IS NULL""")
                .bind("section", sectionId).bind("persons", persons.toArray(String[]::new))
                .map((rs, ctx) -> Map.entry(rs.getString("person_id"), new StandingOverride(
                        StandingOverride.Decision.valueOf(rs.getString("decision")), rs.getString("reason"),
                        rs.getString("set_by"), rs.getObject("set_at", OffsetDateTime.class).toInstant())))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public Optional<StandingOverride> activeOverride(Handle h, String sectionId, String personId) {
        return Optional.ofNullable(activeOverrides(h, sectionId, List.of(personId)).get(personId));
    }

    public void insertOverride(Handle h, String sectionId, String personId, StandingOverride o) {
        h.createUpdate("""
                        INSERT INTO standing_override (section_id, person_id, decision, reason, set_by, set_at)
                        VALUES (:section, :person, :decision, :reason, :by, :at)""")
                .bind("section", sectionId).bind("person", personId).bind("decision", o.decision().name())
                .bind("reason", o.reason()).bind("by", o.by()).bind("at", o.at())
                .execute();
    }

    /** Marks the active override withdrawn (kept as history); false when there was none. */
    public boolean withdrawOverride(Handle h, String sectionId, String personId, ChangeSource source) {
        return h.createUpdate("""
                        UPDATE standing_override SET withdrawn_by = :by, withdrawn_at = :at
                        WHERE section_id = :section AND person_id = :person AND withdrawn_at IS NULL""")
                .bind("section", sectionId).bind("person", personId).bind("by", source.by()).bind("at", source.at())
                .execute() > 0;
    }

    /** Stored standings of the given students. */
    public Map<String, Standing> stored(Handle h, String sectionId, Collection<String> persons) {
        Map<String, Standing> out = new HashMap<>();
        h.createQuery("SELECT " + STANDING_COLUMNS + "\n" + """
                         FROM standing st WHERE st.section_id = :section AND st.person_id = ANY(:persons)""")
                .bind("section", sectionId).bind("persons", persons.toArray(String[]::new))
                .map(STANDING).forEach(s -> out.put(s.personId(), s.standing()));
        return out;
    }

    /** The standing of every enrolled, not withdrawn student of the section, by person id. */
    public Map<String, StoredStanding> roster(Handle h, String sectionId) {
        Map<String, StoredStanding> out = new LinkedHashMap<>();
        h.createQuery("SELECT " + STANDING_COLUMNS + "\n" + """
                         FROM standing st
                         JOIN enrolment e ON e.section_id = st.section_id AND e.person_id = st.person_id
                        WHERE st.section_id = :section AND e.role = 'student' AND e.withdrawn_at IS NULL
                        ORDER BY st.person_id""")
                .bind("section", sectionId)
                .map(STANDING).forEach(s -> out.put(s.personId(), s));
        return out;
    }

    /** A recomputed standing to store, with the feed sequence number of its change entry. */
    public record Changed(String personId, Standing standing, long changeSeq) {
    }

    /** Upserts the given standings in one JDBC batch. */
    public void saveAll(Handle h, String sectionId, List<Changed> rows, ChangeSource source) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO standing (section_id, person_id, planned_hours, absent_hours, late_count,
                                      late_absence_hours, excused_hours, absence_share, computed_state, state,
                                      override_decision, override_reason, override_by, override_at, reason,
                                      reason_code, reason_args, absence_budget, computed_at, change_seq)
                VALUES (:section, :person, :planned, :absent, :lates, :lateHours, :excused, :share, :computed,
                        :state, :oDecision, :oReason, :oBy, :oAt, :reason, :reasonCode, CAST(:reasonArgs AS jsonb),
                        :budget, :at, :seq)
                ON CONFLICT (section_id, person_id) DO UPDATE SET
                    planned_hours = EXCLUDED.planned_hours, absent_hours = EXCLUDED.absent_hours,
                    late_count = EXCLUDED.late_count, late_absence_hours = EXCLUDED.late_absence_hours,
                    excused_hours = EXCLUDED.excused_hours, absence_share = EXCLUDED.absence_share,
                    computed_state = EXCLUDED.computed_state, state = EXCLUDED.state,
                    override_decision = EXCLUDED.override_decision, override_reason = EXCLUDED.override_reason,
                    override_by = EXCLUDED.override_by, override_at = EXCLUDED.override_at,
                    reason = EXCLUDED.reason, reason_code = EXCLUDED.reason_code,
                    reason_args = EXCLUDED.reason_args, absence_budget = EXCLUDED.absence_budget,
                    computed_at = EXCLUDED.computed_at, change_seq = EXCLUDED.change_seq""");
        for (Changed row : rows) {
            Standing s = row.standing();
            Optional<StandingOverride> o = s.override();
            batch.bind("section", sectionId).bind("person", row.personId()).bind("planned", s.plannedHours())
                    .bind("absent", s.absentHours()).bind("lates", s.lateCount()).bind("lateHours", s.lateAbsenceHours())
                    .bind("excused", s.excusedHours()).bind("share", s.absenceShare())
                    .bind("computed", s.computedState().name()).bind("state", s.state().name())
                    .bind("oDecision", o.map(x -> x.decision().name()).orElse(null))
                    .bind("oReason", o.map(StandingOverride::reason).orElse(null))
                    .bind("oBy", o.map(StandingOverride::by).orElse(null))
                    .bindByType("oAt", o.map(StandingOverride::at).orElse(null), Instant.class)
                    .bind("reason", StandingTexts.sentence(Messages.EN, s))
                    .bind("reasonCode", s.reason().code().name()).bind("reasonArgs", json(s.reason().args()))
                    .bind("budget", s.absenceBudget()).bind("at", source.at())
                    .bind("seq", row.changeSeq())
                    .add();
        }
        batch.execute();
    }

    /** A state transition to record in {@code standing_history}. */
    public record Transition(String personId, Standing previous, Standing next, StateTransition transition) {
    }

    /** Appends the transitions in one JDBC batch; a student without a previous standing starts from OK. */
    public void appendHistory(Handle h, String sectionId, List<Transition> transitions, ChangeSource source) {
        if (transitions.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO standing_history (section_id, person_id, from_state, to_state, computed_from,
                                              computed_to, cause, detail, detail_args, trigger, by_caller, at)
                VALUES (:section, :person, :from, :to, :cFrom, :cTo, :cause, :detail, CAST(:detailArgs AS jsonb),
                        :trigger, :by, :at)""");
        for (Transition t : transitions) {
            Standing previous = t.previous();
            batch.bind("section", sectionId).bind("person", t.personId())
                    .bind("from", previous == null ? StandingState.OK.name() : previous.state().name())
                    .bind("to", t.next().state().name())
                    .bind("cFrom", previous == null ? StandingState.OK.name() : previous.computedState().name())
                    .bind("cTo", t.next().computedState().name())
                    .bind("cause", t.transition().cause().name()).bind("detail", t.transition().detail())
                    .bind("detailArgs", json(detailArgs(previous, t.next())))
                    .bind("trigger", source.trigger()).bind("by", source.by()).bind("at", source.at())
                    .add();
        }
        batch.execute();
        for (Transition t : transitions) {
            listener.transition(t.previous() == null ? StandingState.OK : t.previous().state(), t.next().state());
        }
    }

    /** What {@code standing_history.detail_args} keeps of a transition (V135). */
    private static Map<String, Object> detailArgs(Standing previous, Standing next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", previous == null ? null : numbers(previous));
        m.put("after", numbers(next));
        m.put("overridden", next.override().isPresent());
        m.put("reasonCode", next.reason().code().name());
        m.put("reasonArgs", next.reason().args());
        return m;
    }

    private static Map<String, Object> numbers(Standing s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unexcusedHours", s.unexcusedHours());
        m.put("plannedHours", s.plannedHours());
        m.put("sharePercent", s.absenceShare().movePointRight(2).setScale(2, java.math.RoundingMode.HALF_UP));
        return m;
    }

    /** One row of a student's state history, as the dean's history page tells it. */
    public record HistoryEntry(StandingState from, StandingState to, StandingState computedFrom, StandingState computedTo,
                               StateTransition.Cause cause, String detail, Map<String, Object> detailArgs,
                               String trigger, String by, Instant at) {

        /** The reason of the standing this transition led to; null for rows stored before V135. */
        public StandingReason reason() {
            if (detailArgs == null || detailArgs.get("reasonCode") == null) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> args = (Map<String, Object>) detailArgs.get("reasonArgs");
            return new StandingReason(StandingReason.Code.valueOf((String) detailArgs.get("reasonCode")), args);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> before() {
            return detailArgs == null ? null : (Map<String, Object>) detailArgs.get("before");
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> after() {
            return detailArgs == null ? null : (Map<String, Object>) detailArgs.get("after");
        }
    }

    /** The state history of one student as the pages read it, oldest first. */
    public List<HistoryEntry> historyEntries(Handle h, String sectionId, String personId) {
        return h.createQuery("""
                        SELECT from_state, to_state, computed_from, computed_to, cause, detail, detail_args, trigger,
                               by_caller, at
                        FROM standing_history WHERE section_id = :section AND person_id = :person ORDER BY id""")
                .bind("section", sectionId).bind("person", personId)
                .map((rs, ctx) -> new HistoryEntry(StandingState.valueOf(rs.getString("from_state")),
                        StandingState.valueOf(rs.getString("to_state")), StandingState.valueOf(rs.getString("computed_from")),
                        StandingState.valueOf(rs.getString("computed_to")), StateTransition.Cause.valueOf(rs.getString("cause")),
                        rs.getString("detail"), object(rs.getString("detail_args")), rs.getString("trigger"),
                        rs.getString("by_caller"), rs.getObject("at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** The state history of one student, oldest first. */
    public List<Map<String, Object>> history(Handle h, String sectionId, String personId) {
        return h.createQuery("""
                        SELECT from_state, to_state, computed_from, computed_to, cause, detail, trigger, by_caller, at
                        FROM standing_history WHERE section_id = :section AND person_id = :person ORDER BY id""")
                .bind("section", sectionId).bind("person", personId)
                .map((rs, ctx) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("from", rs.getString("from_state"));
                    m.put("to", rs.getString("to_state"));
                    m.put("computedFrom", rs.getString("computed_from"));
                    m.put("computedTo", rs.getString("computed_to"));
                    m.put("cause", rs.getString("cause"));
                    m.put("detail", rs.getString("detail"));
                    m.put("trigger", rs.getString("trigger"));
                    m.put("by", rs.getString("by_caller"));
                    m.put("at", rs.getObject("at", OffsetDateTime.class).toInstant().toString());
                    return m;
                })
                .list();
    }
}
