package kz.qatysu.connectors.portal;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Results into staging tables of the portal's database, which the portal imports on its side (the reverse of the
 * SQL-view source). The tables ({@code qatysu_grades}, {@code qatysu_marks}, {@code qatysu_standing},
 * {@code qatysu_verdicts} unless configured otherwise) need a unique key on their key columns; rows are upserted, in
 * the database's {@link SqlDialect}, in one transaction per push. {@code updated_at} is the push's instant from the
 * sink's clock (bound, not the database's {@code now()}, so every dialect writes the same value).
 */
public final class JdbcStagingSink implements PortalSink {
    static final List<String> GRADE_COLUMNS = List.of("section", "person", "item", "score", "max", "letter", "updated_at");
    static final List<String> GRADE_KEY = List.of("section", "person", "item");
    static final List<String> MARK_COLUMNS = List.of("section", "session", "person", "status", "late_minutes", "reason", "updated_at");
    static final List<String> MARK_KEY = List.of("session", "person");
    static final List<String> STANDING_COLUMNS = List.of("section", "person", "state", "absence_share", "absent_hours", "planned_hours",
            "reason", "updated_at");
    static final List<String> STANDING_KEY = List.of("section", "person");
    static final List<String> VERDICT_COLUMNS = List.of("section", "person", "exam", "exam_title", "attempt", "verdict", "score",
            "decided_at", "updated_at");
    static final List<String> VERDICT_KEY = List.of("attempt");

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Clock clock;
    private final String grades;
    private final String marks;
    private final String standing;
    private final String verdicts;

    /** A PostgreSQL portal database. */
    public JdbcStagingSink(DataSource dataSource, String gradesTable, String marksTable, String standingTable) {
        this(dataSource, gradesTable, marksTable, standingTable, "qatysu_verdicts");
    }

    /** A PostgreSQL portal database. */
    public JdbcStagingSink(DataSource dataSource, String gradesTable, String marksTable, String standingTable, String verdictsTable) {
        this(dataSource, SqlDialect.POSTGRESQL, Clock.systemUTC(), gradesTable, marksTable, standingTable, verdictsTable);
    }

    public JdbcStagingSink(DataSource dataSource, SqlDialect dialect, Clock clock, String gradesTable, String marksTable,
                           String standingTable, String verdictsTable) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        upsert(dialect.upsert(grades, GRADE_COLUMNS, GRADE_KEY), rows, (st, r, now) -> {
            st.setString(1, r.sectionCode());
            st.setString(2, r.personId());
            st.setString(3, r.item());
            st.setBigDecimal(4, new BigDecimal(r.score()));
            st.setBigDecimal(5, new BigDecimal(r.max()));
            st.setString(6, r.letter());
            dialect.bindInstant(st, 7, now);
        });
    }

    @Override
    public void pushMarks(List<MarkRow> rows) {
        upsert(dialect.upsert(marks, MARK_COLUMNS, MARK_KEY), rows, (st, r, now) -> {
            st.setString(1, r.sectionCode());
            st.setString(2, r.sessionId());
            st.setString(3, r.personId());
            st.setString(4, r.status());
            if (r.lateMinutes() == null) {
                st.setNull(5, Types.INTEGER);
            } else {
                st.setInt(5, r.lateMinutes());
            }
            st.setString(6, r.reason());
            dialect.bindInstant(st, 7, now);
        });
    }

    @Override
    public void pushStanding(List<StandingRow> rows) {
        upsert(dialect.upsert(standing, STANDING_COLUMNS, STANDING_KEY), rows, (st, r, now) -> {
            st.setString(1, r.sectionCode());
            st.setString(2, r.personId());
            st.setString(3, r.state());
            st.setBigDecimal(4, new BigDecimal(r.absenceShare()));
            st.setBigDecimal(5, new BigDecimal(r.absentHours()));
            st.setBigDecimal(6, new BigDecimal(r.plannedHours()));
            st.setString(7, r.reason());
            dialect.bindInstant(st, 8, now);
        });
    }

    @Override
    public void pushVerdicts(List<VerdictRow> rows) {
        upsert(dialect.upsert(verdicts, VERDICT_COLUMNS, VERDICT_KEY), rows, (st, r, now) -> {
            st.setString(1, r.sectionCode());
            st.setString(2, r.personId());
            st.setString(3, r.examId());
            st.setString(4, r.examTitle());
            st.setString(5, r.attemptId());
            st.setString(6, r.verdict());
            st.setBigDecimal(7, r.score() == null || r.score().isEmpty() ? null : new BigDecimal(r.score()));
            dialect.bindInstant(st, 8, OffsetDateTime.parse(r.decidedAt()));
            dialect.bindInstant(st, 9, now);
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement st, T row, OffsetDateTime now) throws SQLException;
    }

    private <T> void upsert(String sql, List<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (T r : rows) {
                    binder.bind(st, r, now);
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
