package kz.qatysu.tool.proctoring.exams;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Exams and their assigned proctors ({@code proctored_exam}, {@code proctored_exam_proctor}). */
public final class ExamRepository {
    private final Jdbi jdbi;

    public ExamRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(Handle h, Exam e) {
        h.createUpdate("""
                        INSERT INTO proctored_exam (id, section_id, title, kind, opens_at, closes_at, proctored, require_id_photo,
                            require_face_match, require_room_scan, require_screen_share, snapshot_interval_seconds,
                            campus_alternative, identity_tries, version, created_by, created_at, updated_by, updated_at)
                        VALUES (:id, :section, :title, :kind, :opens, :closes, :proctored, :idPhoto, :faceMatch, :roomScan,
                            :screenShare, :interval, :campus, :tries, :version, :createdBy, :createdAt, :updatedBy, :updatedAt)""")
                .bind("id", e.id()).bind("section", e.sectionId()).bind("title", e.title()).bind("kind", e.kind().name())
                .bind("opens", Timestamp.from(e.opensAt())).bind("closes", Timestamp.from(e.closesAt()))
                .bind("proctored", e.proctored()).bind("idPhoto", e.checks().idPhoto())
                .bind("faceMatch", e.checks().faceMatch()).bind("roomScan", e.checks().roomScan())
                .bind("screenShare", e.checks().screenShare()).bind("interval", e.snapshotIntervalSeconds())
                .bind("campus", e.campusAlternative()).bind("tries", e.identityTries()).bind("version", e.version())
                .bind("createdBy", e.createdBy()).bind("createdAt", Timestamp.from(e.createdAt()))
                .bind("updatedBy", e.updatedBy()).bind("updatedAt", Timestamp.from(e.updatedAt()))
                .execute();
    }

    /** Replaces the editable fields when the stored version is {@code expectedVersion}; false when someone changed it since. */
    public boolean update(Handle h, Exam e, int expectedVersion) {
        return h.createUpdate("""
                        UPDATE proctored_exam SET title = :title, kind = :kind, opens_at = :opens, closes_at = :closes,
                            proctored = :proctored, require_id_photo = :idPhoto, require_face_match = :faceMatch,
                            require_room_scan = :roomScan, require_screen_share = :screenShare,
                            snapshot_interval_seconds = :interval, campus_alternative = :campus, identity_tries = :tries,
                            version = version + 1, updated_by = :updatedBy, updated_at = :updatedAt
                        WHERE id = :id AND version = :expected""")
                .bind("id", e.id()).bind("title", e.title()).bind("kind", e.kind().name())
                .bind("opens", Timestamp.from(e.opensAt())).bind("closes", Timestamp.from(e.closesAt()))
                .bind("proctored", e.proctored()).bind("idPhoto", e.checks().idPhoto())
                .bind("faceMatch", e.checks().faceMatch()).bind("roomScan", e.checks().roomScan())
                .bind("screenShare", e.checks().screenShare()).bind("interval", e.snapshotIntervalSeconds())
                .bind("campus", e.campusAlternative()).bind("tries", e.identityTries())
                .bind("updatedBy", e.updatedBy()).bind("updatedAt", Timestamp.from(e.updatedAt()))
                .bind("expected", expectedVersion)
                .execute() == 1;
    }

    public Optional<Exam> find(String examId) {
        return jdbi.withHandle(h -> find(h, examId));
    }

    public Optional<Exam> find(Handle h, String examId) {
        return h.createQuery("SELECT * FROM proctored_exam WHERE id = :id").bind("id", examId).map(ExamRepository::map).findOne();
    }

    public List<Exam> ofSection(String sectionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM proctored_exam WHERE section_id = :s ORDER BY opens_at, id")
                .bind("s", sectionId).map(ExamRepository::map).list());
    }

    /** The exams {@code personId} is assigned to proctor, newest window first. */
    public List<Exam> proctoredBy(String personId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT e.* FROM proctored_exam e JOIN proctored_exam_proctor p ON p.exam_id = e.id
                        WHERE p.person_id = :p ORDER BY e.opens_at DESC, e.id""")
                .bind("p", personId).map(ExamRepository::map).list());
    }

    public Set<String> proctors(String examId) {
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery(
                        "SELECT person_id FROM proctored_exam_proctor WHERE exam_id = :e ORDER BY person_id")
                .bind("e", examId).mapTo(String.class).list()));
    }

    public boolean isProctor(String examId, String personId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM proctored_exam_proctor WHERE exam_id = :e AND person_id = :p)")
                .bind("e", examId).bind("p", personId).mapTo(Boolean.class).one());
    }

    /**
     * Whether a proctored exam is open at {@code now} or opens within {@code ahead} of it: the face analysis models
     * are loaded then, before the first snapshot arrives.
     */
    public boolean proctoredOpenOrOpeningWithin(Instant now, java.time.Duration ahead) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM proctored_exam WHERE proctored AND closes_at > :now AND opens_at <= :soon)")
                .bind("now", Timestamp.from(now)).bind("soon", Timestamp.from(now.plus(ahead))).mapTo(Boolean.class).one());
    }

    /** Assigns a proctor; true when newly assigned. */
    public boolean assign(Handle h, String examId, String personId, String by, Instant at) {
        return h.createUpdate("""
                        INSERT INTO proctored_exam_proctor (exam_id, person_id, granted_by, granted_at) VALUES (:e, :p, :by, :at)
                        ON CONFLICT DO NOTHING""")
                .bind("e", examId).bind("p", personId).bind("by", by).bind("at", Timestamp.from(at)).execute() == 1;
    }

    public boolean unassign(Handle h, String examId, String personId) {
        return h.createUpdate("DELETE FROM proctored_exam_proctor WHERE exam_id = :e AND person_id = :p")
                .bind("e", examId).bind("p", personId).execute() == 1;
    }

    static Exam map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new Exam(rs.getString("id"), rs.getString("section_id"), rs.getString("title"),
                Exam.ExamKind.valueOf(rs.getString("kind")), rs.getTimestamp("opens_at").toInstant(),
                rs.getTimestamp("closes_at").toInstant(), rs.getBoolean("proctored"),
                new Exam.Checks(rs.getBoolean("require_id_photo"), rs.getBoolean("require_face_match"),
                        rs.getBoolean("require_room_scan"), rs.getBoolean("require_screen_share")),
                rs.getInt("snapshot_interval_seconds"), rs.getBoolean("campus_alternative"), rs.getInt("identity_tries"),
                rs.getInt("version"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
                rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());
    }
}
