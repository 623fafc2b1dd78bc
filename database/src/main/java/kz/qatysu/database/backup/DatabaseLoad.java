package kz.qatysu.database.backup;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Loads a {@link DatabaseDump} into a database freshly migrated by the same Qatysu version: the applied migrations
 * must be the backup's (else the schema could differ), then in one transaction, with triggers and foreign-key checks
 * off ({@code session_replication_role = replica}: the rows were consistent when dumped), every table is emptied of
 * what the migrations seeded and filled from its file, each table's row count is checked against the manifest, and
 * every sequence is set to its backed-up value. Any failure rolls the whole load back.
 */
final class DatabaseLoad {
    private DatabaseLoad() {
    }

    static void load(DataSource dataSource, Path backupRoot, BackupManifest.DatabasePart db) {
        try (Connection c = dataSource.getConnection()) {
            requireSameMigrations(c, db.migrations());
            requireSameTables(c, db.tables());
            c.setAutoCommit(false);
            try {
                fill(c, backupRoot, db);
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new BackupRefused("cannot load the database from " + backupRoot.resolve(DatabaseDump.FOLDER) + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackupRefused("cannot read " + backupRoot.resolve(DatabaseDump.FOLDER) + ": " + e.getMessage(), e);
        }
    }

    private static void fill(Connection c, Path root, BackupManifest.DatabasePart db) throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL session_replication_role = replica");
            st.execute("TRUNCATE " + String.join(", ", db.tables().stream().map(t -> DatabaseDump.quote(t.name())).toList()));
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (BackupManifest.Table t : db.tables()) {
            long rows;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve(t.file())), 64 * 1024)) {
                rows = copy.copyIn("COPY " + DatabaseDump.quote(t.name()) + " (" + DatabaseDump.columnList(t.columns())
                        + ") FROM STDIN", in);
            }
            if (rows != t.rows()) {
                throw new BackupRefused(t.file() + ": " + rows + " rows loaded into " + t.name() + ", the manifest says "
                        + t.rows());
            }
        }
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, Long> s : db.sequences().entrySet()) {
                String name = DatabaseDump.quote(s.getKey());
                st.execute(s.getValue() == null ? "ALTER SEQUENCE " + name + " RESTART"
                        : "SELECT setval('" + name.replace("'", "''") + "', " + s.getValue() + ", true)");
            }
        }
    }

    private static void requireSameMigrations(Connection c, Map<String, List<String>> backedUp) throws SQLException {
        for (Map.Entry<String, List<String>> h : backedUp.entrySet()) {
            Set<String> here = new TreeSet<>(DatabaseDump.applied(c, h.getKey()));
            Set<String> there = new TreeSet<>(h.getValue());
            if (!here.equals(there)) {
                Set<String> onlyBackup = new TreeSet<>(there);
                onlyBackup.removeAll(here);
                Set<String> onlyHere = new TreeSet<>(here);
                onlyHere.removeAll(there);
                throw new BackupRefused("the backup's database schema (" + h.getKey() + ") is not this version's: migrations "
                        + "only in the backup " + onlyBackup + ", only in this version " + onlyHere
                        + " (version:checksum). Restore with the Qatysu version named in the manifest, start it once, "
                        + "then upgrade as usual.");
            }
        }
    }

    private static void requireSameTables(Connection c, List<BackupManifest.Table> tables) throws SQLException {
        Set<String> here = new HashSet<>(DatabaseDump.strings(c, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition"""));
        List<String> missing = new ArrayList<>();
        for (BackupManifest.Table t : tables) {
            if (!here.remove(t.name())) {
                missing.add(t.name());
            }
        }
        if (!missing.isEmpty() || !here.isEmpty()) {
            throw new BackupRefused("the backup's tables do not match this database: missing here " + missing
                    + ", not in the backup " + new TreeSet<>(here));
        }
    }
}
