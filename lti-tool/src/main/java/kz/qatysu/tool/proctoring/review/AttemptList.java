package kz.qatysu.tool.proctoring.review;

import kz.qatysu.tool.proctoring.attempts.Attempt;
import kz.qatysu.tool.proctoring.attempts.AttemptRepository;
import kz.qatysu.tool.proctoring.attempts.AttemptState;
import kz.qatysu.tool.proctoring.attempts.AttemptTrust;
import kz.qatysu.tool.proctoring.attempts.EventType;
import kz.qatysu.tool.proctoring.attempts.Verdict;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attempts a reviewer lists, each with its section, trust score (explained), flag counts and verdict: one query
 * for the attempts, one for all their event counts, one for their verdicts.
 */
public final class AttemptList {
    /** More rows than this in one answer are cut (the list is filtered by section, exam and state). */
    static final int LIMIT = 5000;

    private final Jdbi jdbi;

    public AttemptList(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One attempt as reviewers see it. */
    public record Row(Attempt attempt, String sectionId, AttemptTrust trust, Optional<Verdict> verdict) {
        public Map<String, Integer> flags() {
            return trust.flags();
        }

        /** The API's shape (qatysu-api.md, "Proctoring"). */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attemptId", attempt.id());
            m.put("examId", attempt.examId());
            m.put("sectionId", sectionId);
            m.put("personId", attempt.personId());
            m.put("state", attempt.state().name());
            m.put("startedAt", attempt.startedAt().map(Object::toString).orElse(null));
            m.put("endedAt", attempt.endedAt().map(Object::toString).orElse(null));
            m.put("trustScore", trust.score());
            m.put("flags", flags());
            m.put("verdict", verdict.map(AttemptList::verdictJson).orElse(null));
            return m;
        }
    }

    public static Map<String, Object> verdictJson(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", v.verdict().name());
        m.put("comment", v.comment());
        m.put("decidedBy", v.decidedBy());
        m.put("decidedAt", v.decidedAt().toString());
        return m;
    }

    /**
     * Attempts matching every given filter, of exams {@code proctor} is assigned to when given, newest first (attempts
     * not started yet by when they were opened).
     */
    public List<Row> search(Optional<String> sectionId, Optional<String> examId, Optional<AttemptState> state,
                            Optional<String> proctor) {
        List<Row> out = new java.util.ArrayList<>();
        jdbi.useHandle(h -> {
            List<Map.Entry<Attempt, String>> attempts = h.createQuery("""
                            SELECT a.*, e.section_id AS exam_section FROM proctoring_attempt a
                            JOIN proctored_exam e ON e.id = a.exam_id
                            WHERE (CAST(:section AS TEXT) IS NULL OR e.section_id = :section)
                              AND (CAST(:exam AS TEXT) IS NULL OR a.exam_id = :exam)
                              AND (CAST(:state AS TEXT) IS NULL OR a.state = :state)
                              AND (CAST(:proctor AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM proctored_exam_proctor p
                                                           WHERE p.exam_id = a.exam_id AND p.person_id = :proctor))
                            ORDER BY COALESCE(a.started_at, a.created_at) DESC, a.id
                            LIMIT :limit""")
                    .bind("section", sectionId.orElse(null)).bind("exam", examId.orElse(null))
                    .bind("state", state.map(Enum::name).orElse(null)).bind("proctor", proctor.orElse(null))
                    .bind("limit", LIMIT)
                    .map((rs, ctx) -> Map.entry(AttemptRepository.map(rs, ctx), rs.getString("exam_section")))
                    .list();
            String[] ids = attempts.stream().map(e -> e.getKey().id()).toArray(String[]::new);
            Map<String, Map<EventType, Integer>> counts = new HashMap<>();
            h.createQuery("""
                            SELECT attempt_id, type, count(*) AS n FROM proctoring_event WHERE attempt_id = ANY(:ids)
                            GROUP BY attempt_id, type""")
                    .bindArray("ids", String.class, (Object[]) ids)
                    .map((rs, ctx) -> counts.computeIfAbsent(rs.getString("attempt_id"), k -> new EnumMap<>(EventType.class))
                            .put(EventType.valueOf(rs.getString("type")), rs.getInt("n")))
                    .list();
            Map<String, Verdict> verdicts = new HashMap<>();
            h.createQuery("SELECT * FROM proctoring_verdict WHERE attempt_id = ANY(:ids)")
                    .bindArray("ids", String.class, (Object[]) ids)
                    .map((rs, ctx) -> verdicts.put(rs.getString("attempt_id"), new Verdict(
                            Verdict.Outcome.valueOf(rs.getString("verdict")), rs.getString("comment"),
                            rs.getString("decided_by"), ((Timestamp) rs.getObject("decided_at", Timestamp.class)).toInstant())))
                    .list();
            for (Map.Entry<Attempt, String> e : attempts) {
                String id = e.getKey().id();
                out.add(new Row(e.getKey(), e.getValue(), AttemptTrust.of(counts.getOrDefault(id, Map.of())),
                        Optional.ofNullable(verdicts.get(id))));
            }
        });
        return out;
    }
}
