package kz.qatysu.tool.proctoring.lms.moodle;

import kz.qatysu.tool.lti.keys.KeyEncryption;
import kz.qatysu.tool.util.Utc;
import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/** The exam ↔ Moodle quiz mappings ({@code proctoring_moodle_quiz}); a shared password is stored sealed. */
public final class QuizMappings {
    private final Jdbi jdbi;
    private final KeyEncryption sealing;

    public QuizMappings(Jdbi jdbi, KeyEncryption sealing) {
        this.jdbi = jdbi;
        this.sealing = sealing;
    }

    public Optional<QuizMapping> find(String examId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proctoring_moodle_quiz WHERE exam_id = :e")
                .bind("e", examId)
                .map((rs, c) -> new QuizMapping(rs.getString("exam_id"), rs.getLong("platform_id"), rs.getLong("course_id"),
                        rs.getLong("quiz_id"), rs.getString("quiz_name"), GateMode.valueOf(rs.getString("gate_mode")),
                        Optional.ofNullable(rs.getString("shared_password")).map(s -> sealing.open(aad(examId), s)),
                        rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant()))
                .findOne());
    }

    public void save(QuizMapping m) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO proctoring_moodle_quiz (exam_id, platform_id, course_id, quiz_id, quiz_name, gate_mode,
                                                            shared_password, updated_by, updated_at)
                        VALUES (:e, :p, :c, :q, :n, :mode, :pw, :by, :at)
                        ON CONFLICT (exam_id) DO UPDATE SET platform_id = EXCLUDED.platform_id, course_id = EXCLUDED.course_id,
                            quiz_id = EXCLUDED.quiz_id, quiz_name = EXCLUDED.quiz_name, gate_mode = EXCLUDED.gate_mode,
                            shared_password = EXCLUDED.shared_password, updated_by = EXCLUDED.updated_by,
                            updated_at = EXCLUDED.updated_at""")
                .bind("e", m.examId()).bind("p", m.platformId()).bind("c", m.courseId()).bind("q", m.quizId())
                .bind("n", m.quizName()).bind("mode", m.mode().name())
                .bind("pw", m.sharedPassword().map(pw -> sealing.seal(aad(m.examId()), pw)).orElse(null))
                .bind("by", m.updatedBy()).bind("at", Utc.of(m.updatedAt())).execute());
    }

    public boolean delete(String examId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM proctoring_moodle_quiz WHERE exam_id = :e").bind("e", examId)
                .execute()) > 0;
    }

    static String aad(String examId) {
        return "proctoring_moodle_quiz/" + examId;
    }
}
