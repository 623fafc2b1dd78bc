package kz.qatysu.connectors.portal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Results into staging tables of the portal's database, which the portal imports on its side (the reverse of the
 * SQL-view source). The tables ({@code qatysu_grades}, {@code qatysu_marks}, {@code qatysu_standing} unless
 * configured otherwise) need a unique key on their key columns; rows are upserted in one transaction per push.
 */
public final class JdbcStagingSink implements PortalSink {
    private final DataSource dataSource;
    private final String grades;
    private final String marks;
    private final String standing;
    private final String verdicts;

    public JdbcStagingSink(DataSource dataSource, String gradesTable, String marksTable, String standingTable) {
        this(dataSource, gradesTable, marksTable, standingTable, "qatysu_verdicts");
    }

    public JdbcStagingSink(DataSource dataSource, String gradesTable, String marksTable, String standingTable, String verdictsTable) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.grades = JdbcPortalSource.checkIdentifier(gradesTable);
        this.marks = JdbcPortalSource.checkIdentifier(marksTable);
        this.standing = JdbcPortalSource.checkIdentifier(standingTable);
        this.verdicts = JdbcPortalSource.checkIdentifier(verdictsTable);
    }

    @Override
    public String describe() {
        return "jdbc-staging:" + grades + "," + marks + "," + standing + "," + verdicts;
    }

    @Override
    public void pushGrades(List<GradeRow> rows) {
        upsert("INSERT INTO " + grades + " (section, person, item, score, max, letter, updated_at) VALUES (?, ?, ?, ?, ?, ?, now()) "
                + "ON CONFLICT (section, person, item) DO UPDATE SET score = EXCLUDED.score, max = EXCLUDED.max, "
                + "letter = EXCLUDED.letter, updated_at = EXCLUDED.updated_at", rows, (st, r) -> {
                    st.setString(1, r.sectionCode());
                    st.setString(2, r.personId());
                    st.setString(3, r.item());
                    st.setBigDecimal(4, new java.math.BigDecimal(r.score()));
                    st.setBigDecimal(5, new java.math.BigDecimal(r.max()));
                    st.setString(6, r.letter());
                });
    }

    @Override
    public void pushMarks(List<MarkRow> rows) {
        upsert("INSERT INTO " + marks + " (section, session, person, status, late_minutes, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, now()) "
                + "ON CONFLICT (session, person) DO UPDATE SET status = EXCLUDED.status, late_minutes = EXCLUDED.late_minutes, "
                + "reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at", rows, (st, r) -> {
                    st.setString(1, r.sectionCode());
                    st.setString(2, r.sessionId());
                    st.setString(3, r.personId());
                    st.setString(4, r.status());
                    st.setObject(5, r.lateMinutes());
                    st.setString(6, r.reason());
                });
    }

    @Override
    public void pushStanding(List<StandingRow> rows) {
        upsert("INSERT INTO " + standing + " (section, person, state, absence_share, absent_hours, planned_hours, reason, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (section, person) DO UPDATE SET state = EXCLUDED.state, "
                + "absence_share = EXCLUDED.absence_share, absent_hours = EXCLUDED.absent_hours, planned_hours = EXCLUDED.planned_hours, "
                + "reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at", rows, (st, r) -> {
                    st.setString(1, r.sectionCode());
                    st.setString(2, r.personId());
                    st.setString(3, r.state());
                    st.setBigDecimal(4, new java.math.BigDecimal(r.absenceShare()));
                    st.setBigDecimal(5, new java.math.BigDecimal(r.absentHours()));
                    st.setBigDecimal(6, new java.math.BigDecimal(r.plannedHours()));
                    st.setString(7, r.reason());
                });
    }

    @Override
    public void pushVerdicts(List<VerdictRow> rows) {
        upsert("INSERT INTO " + verdicts + " (section, person, exam, exam_title, attempt, verdict, score, decided_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (attempt) DO UPDATE SET verdict = EXCLUDED.verdict, "
                + "score = EXCLUDED.score, exam_title = EXCLUDED.exam_title, decided_at = EXCLUDED.decided_at, updated_at = EXCLUDED.updated_at",
                rows, (st, r) -> {
                    st.setString(1, r.sectionCode());
                    st.setString(2, r.personId());
                    st.setString(3, r.examId());
                    st.setString(4, r.examTitle());
                    st.setString(5, r.attemptId());
                    st.setString(6, r.verdict());
                    st.setBigDecimal(7, r.score() == null || r.score().isEmpty() ? null : new java.math.BigDecimal(r.score()));
                    st.setObject(8, java.time.OffsetDateTime.parse(r.decidedAt()));
                });
    }

    private interface Binder<T> {
        void bind(PreparedStatement st, T row) throws SQLException;
    }

    private <T> void upsert(String sql, List<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (T r : rows) {
                    binder.bind(st, r);
                    st.addBatch();
                }
                st.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SourceUnavailableException("cannot write to the portal's staging tables: " + e.getMessage(), e);
        }
    }
}
