package kz.qatysu.connectors.portal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SQL views (or staging tables) read over JDBC — the pattern of Moodle's {@code auth_db} / {@code enrol_database}.
 * The portal's DBA exposes one view per entity ({@code v_persons}, {@code v_sections}, … by default); columns are
 * matched to canonical fields by name, or through the configured mapping. Read-only, streamed with a fetch size, in
 * one transaction that is rolled back. The database's {@link SqlDialect} quotes the view names (PostgreSQL, MariaDB
 * and MySQL, SQL Server, Oracle).
 *
 * <p>View names come from the administrator's configuration, not from data; they are still checked against a
 * strict identifier pattern and quoted, since SQL cannot bind identifiers.
 */
public final class JdbcPortalSource implements PortalSource {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private final DataSource dataSource;
    private final Map<Entity, String> views;
    private final FieldMapping mapping;
    private final String description;
    private final SqlDialect dialect;

    /** A PostgreSQL portal database. */
    public JdbcPortalSource(DataSource dataSource, Map<Entity, String> views, FieldMapping mapping, String description) {
        this(dataSource, SqlDialect.POSTGRESQL, views, mapping, description);
    }

    public JdbcPortalSource(DataSource dataSource, SqlDialect dialect, Map<Entity, String> views, FieldMapping mapping, String description) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.views = Map.copyOf(views);
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.description = description;
        this.views.values().forEach(JdbcPortalSource::checkIdentifier);
    }

    public static String checkIdentifier(String view) {
        if (!IDENTIFIER.matcher(view).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier (schema.view): '" + view + "'");
        }
        return view;
    }

    public String view(Entity entity) {
        return views.getOrDefault(entity, "v_" + entity.key());
    }

    @Override
    public String describe() {
        return "jdbc:" + description;
    }

    @Override
    public List<RawRecord> rows(Entity entity) {
        String view = view(entity);
        String sql = "SELECT * FROM " + dialect.qualified(view);
        List<RawRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            // PostgreSQL streams with a fetch size only inside a transaction; MariaDB Connector/J streams FETCH_SIZE rows
            // at a time either way, SQL Server's driver buffers adaptively, Oracle prefetches FETCH_SIZE rows
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(SqlDialect.FETCH_SIZE);
                try (ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData md = rs.getMetaData();
                    int n = md.getColumnCount();
                    int row = 0;
                    while (rs.next()) {
                        row++;
                        Map<String, String> values = new HashMap<>();
                        for (int i = 1; i <= n; i++) {
                            Object v = dialect.isOffsetDateTime(md.getColumnTypeName(i))
                                    ? rs.getObject(i, java.time.OffsetDateTime.class) : rs.getObject(i);
                            values.put(md.getColumnLabel(i), v == null ? null : text(v));
                        }
                        out.add(new RawRecord(view + " row " + row, mapping.toCanonical(entity, values)));
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new SourceUnavailableException("cannot read " + entity.key() + " from view " + view + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** JDBC values as the text forms the parser accepts (ISO dates, offset date-times, plain numbers). */
    private static String text(Object v) {
        if (v instanceof java.sql.Timestamp ts) {
            return ts.toLocalDateTime().toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof java.math.BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof java.sql.Array a) {
            try {
                Object[] items = (Object[]) a.getArray();
                return String.join("|", java.util.Arrays.stream(items).map(String::valueOf).toList());
            } catch (SQLException e) {
                return String.valueOf(v);
            }
        }
        return v.toString();
    }
}
