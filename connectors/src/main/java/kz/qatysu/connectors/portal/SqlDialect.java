package kz.qatysu.connectors.portal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the databases a university's portal runs on, for the SQL-view source and the staging sink:
 * how identifiers are quoted, which column types carry an offset, how a row is upserted and how an instant is bound
 * (streaming is the same for all: {@link #FETCH_SIZE} in a read-only transaction, see {@link JdbcPortalSource}). Picked from
 * the JDBC URL ({@link #fromUrl}); MariaDB's driver serves MySQL too.
 *
 * <p>Identifiers are checked against a strict pattern before they get here ({@link JdbcPortalSource#checkIdentifier});
 * quoting only protects keywords ({@code session}, {@code max}) and keeps the case each database folds unquoted names
 * to: PostgreSQL lower case as written, Oracle upper case (so {@code v_persons} finds a view created as
 * {@code CREATE VIEW v_persons}).
 */
public enum SqlDialect {
    POSTGRESQL("jdbc:postgresql:"),
    /** MariaDB and MySQL, both through MariaDB Connector/J ({@code jdbc:mysql:} is rewritten to {@code jdbc:mariadb:}). */
    MARIADB("jdbc:mariadb:", "jdbc:mysql:"),
    SQLSERVER("jdbc:sqlserver:"),
    ORACLE("jdbc:oracle:thin:");

    /** Rows fetched per round trip while streaming a view. */
    public static final int FETCH_SIZE = 2000;

    private final List<String> prefixes;

    SqlDialect(String... prefixes) {
        this.prefixes = List.of(prefixes);
    }

    /** The dialect of a JDBC URL; any other URL is refused, listing the accepted prefixes. */
    public static SqlDialect fromUrl(String url) {
        String u = url == null ? "" : url.strip().toLowerCase(Locale.ROOT);
        for (SqlDialect d : values()) {
            for (String p : d.prefixes) {
                if (u.startsWith(p)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("a JDBC URL of a supported portal database expected ("
                + Arrays.stream(values()).flatMap(d -> d.prefixes.stream()).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * The URL handed to the driver: {@code jdbc:mysql:} becomes {@code jdbc:mariadb:}, since MariaDB Connector/J 3
     * accepts the MySQL scheme only with an extra option; everything else is passed as it is.
     */
    public static String driverUrl(String url) {
        String u = url.strip();
        return u.regionMatches(true, 0, "jdbc:mysql:", 0, "jdbc:mysql:".length()) ? "jdbc:mariadb:" + u.substring("jdbc:mysql:".length()) : u;
    }

    /** One identifier, already checked, quoted for this database. */
    private String quote(String identifier) {
        return switch (this) {
            case POSTGRESQL -> "\"" + identifier + "\"";
            case MARIADB -> "`" + identifier + "`";
            case SQLSERVER -> "[" + identifier + "]";
            case ORACLE -> "\"" + identifier.toUpperCase(Locale.ROOT) + "\"";
        };
    }

    /** A checked {@code name} or {@code schema.name}, each part quoted. */
    public String qualified(String name) {
        return Arrays.stream(JdbcPortalSource.checkIdentifier(name).split("\\.")).map(this::quote).collect(Collectors.joining("."));
    }

    /** Whether a column of this JDBC type name holds an instant with an offset, read as {@link OffsetDateTime}. */
    public boolean isOffsetDateTime(String typeName) {
        String t = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return switch (this) {
            case POSTGRESQL -> t.equals("timestamptz");
            case MARIADB -> false; // no such type: TIMESTAMP/DATETIME carry no offset
            case SQLSERVER -> t.equals("datetimeoffset");
            case ORACLE -> t.equals("timestamp with time zone");
        };
    }

    /**
     * Binds an instant: as an offset date-time where the column type keeps the offset (PostgreSQL timestamptz, SQL
     * Server datetimeoffset, Oracle TIMESTAMP WITH TIME ZONE), as the UTC local date-time in MariaDB/MySQL, whose
     * DATETIME has no offset.
     */
    public void bindInstant(PreparedStatement st, int index, OffsetDateTime at) throws SQLException {
        java.util.Objects.requireNonNull(at, "at");
        if (this == MARIADB) {
            st.setObject(index, at.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else {
            st.setObject(index, at.withOffsetSameInstant(ZoneOffset.UTC));
        }
    }

    /**
     * An upsert of one row into {@code table}: inserted, or, when a row with the same {@code keys} exists, its other
     * columns replaced. Parameters are the {@code columns} in order. PostgreSQL {@code ON CONFLICT}; MariaDB/MySQL
     * {@code ON DUPLICATE KEY UPDATE} (the table's unique key decides); SQL Server and Oracle {@code MERGE}, SQL
     * Server's under {@code HOLDLOCK} so two writers cannot both insert.
     */
    public String upsert(String table, List<String> columns, List<String> keys) {
        if (keys.isEmpty() || !columns.containsAll(keys) || keys.size() == columns.size()) {
            throw new IllegalArgumentException("the key columns " + keys + " must be some, not all, of " + columns);
        }
        columns.forEach(JdbcPortalSource::checkIdentifier);
        String t = qualified(table);
        List<String> rest = columns.stream().filter(c -> !keys.contains(c)).toList();
        String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        return switch (this) {
            case POSTGRESQL -> "INSERT INTO " + t + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
                    + keys.stream().map(this::quote).collect(Collectors.joining(", ")) + ") DO UPDATE SET "
                    + rest.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
            case MARIADB -> "INSERT INTO " + t + " (" + cols + ") VALUES (" + params + ") ON DUPLICATE KEY UPDATE "
                    + rest.stream().map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
            case SQLSERVER -> "MERGE INTO " + t + " WITH (HOLDLOCK) AS tgt USING (VALUES (" + params + ")) AS src (" + cols + ") ON "
                    + on(keys) + whens(columns, rest) + ";";
            case ORACLE -> "MERGE INTO " + t + " tgt USING (SELECT "
                    + columns.stream().map(c -> "? AS " + quote(c)).collect(Collectors.joining(", ")) + " FROM dual) src ON ("
                    + on(keys) + ")" + whens(columns, rest);
        };
    }

    private String on(List<String> keys) {
        return keys.stream().map(k -> "tgt." + quote(k) + " = src." + quote(k)).collect(Collectors.joining(" AND "));
    }

    private String whens(List<String> columns, List<String> rest) {
        return " WHEN MATCHED THEN UPDATE SET " + rest.stream().map(c -> "tgt." + quote(c) + " = src." + quote(c)).collect(Collectors.joining(", "))
                + " WHEN NOT MATCHED THEN INSERT (" + columns.stream().map(this::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(c -> "src." + quote(c)).collect(Collectors.joining(", ")) + ")";
    }
}
