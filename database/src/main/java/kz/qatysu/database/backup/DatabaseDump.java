package kz.qatysu.database.backup;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The logical dump of one application's database: every table of its schema (the Flyway history included) copied
 * with {@code COPY ... TO STDOUT} inside one {@code REPEATABLE READ READ ONLY} transaction, so all tables show the
 * same instant — a consistent snapshot taken while the application keeps writing. Readers take only
 * {@code ACCESS SHARE} locks, which block no insert, update or delete (only DDL waits), so marking goes on.
 * Tables go to {@code database/<table>.copy.gz} (PostgreSQL's text format, gzip), which any later PostgreSQL reads.
 */
final class DatabaseDump {
    static final String FOLDER = "database";
    static final String HISTORY_PREFIX = "flyway_history_";

    private DatabaseDump() {
    }

    record Result(BackupManifest.DatabasePart part, List<BackupManifest.FileEntry> files) {
    }

    static Result write(DataSource dataSource, Path backupRoot) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                // a dump must not be cut off by a statement timeout a pool may set
                st.execute("SET LOCAL statement_timeout = 0");
            }
            try {
                return dump(c, backupRoot);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new BackupRefused("cannot read the database for the backup: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackupRefused("cannot write the database into " + backupRoot.resolve(FOLDER) + ": " + e.getMessage(), e);
        }
    }

    private static Result dump(Connection c, Path root) throws SQLException, IOException {
        String version = single(c, "SHOW server_version");
        List<String> tables = strings(c, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition
                ORDER BY c.relname""");
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        List<BackupManifest.Table> out = new ArrayList<>();
        List<BackupManifest.FileEntry> files = new ArrayList<>();
        Map<String, List<String>> migrations = new LinkedHashMap<>();
        for (String table : tables) {
            List<String> columns = columns(c, table);
            String file = FOLDER + "/" + table + ".copy.gz";
            long rows;
            CheckedFiles.Writer w = new CheckedFiles.Writer(root, root.resolve(file));
            try (w; OutputStream gz = new GZIPOutputStream(w, 64 * 1024)) {
                rows = copy.copyOut("COPY " + quote(table) + " (" + columnList(columns) + ") TO STDOUT", gz);
            }
            files.add(w.entry());
            out.add(new BackupManifest.Table(table, columns, rows, file));
            if (table.startsWith(HISTORY_PREFIX)) {
                migrations.put(table, applied(c, table));
            }
        }
        Map<String, Long> sequences = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY sequencename")) {
            while (rs.next()) {
                String name = rs.getString(1);
                long v = rs.getLong(2);
                sequences.put(name, rs.wasNull() ? null : v);
            }
        }
        return new Result(new BackupManifest.DatabasePart(version, migrations, out, sequences), files);
    }

    /** The columns a COPY can read and write: all but dropped and generated ones, in table order. */
    static List<String> columns(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname FROM pg_attribute a
                WHERE a.attrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                    WHERE n.nspname = current_schema() AND c.relname = ?)
                  AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                ORDER BY a.attnum""")) {
            ps.setString(1, table);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** The successfully applied migrations of a Flyway history table as {@code version:checksum}, in installed order. */
    static List<String> applied(Connection c, String historyTable) throws SQLException {
        return strings(c, "SELECT coalesce(version, '') || ':' || coalesce(checksum::text, '') FROM " + quote(historyTable)
                + " WHERE success AND version IS NOT NULL AND type <> 'BASELINE' ORDER BY installed_rank");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String columnList(List<String> columns) {
        return String.join(", ", columns.stream().map(DatabaseDump::quote).toList());
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
