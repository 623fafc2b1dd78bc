package kz.qatysu.database.backup;

import kz.qatysu.config.DatabaseSettings;
import kz.qatysu.database.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Backup and restore of one application (docs/OPERATIONS.md, "Backup and restore"). A backup is a folder:
 * {@code database/} (the logical dump, {@link DatabaseDump}), {@code files/} (the application's files laid out as
 * under its data directory: excuse documents, the proctoring media store's encrypted objects as they are, the key
 * files) and {@code manifest.json}, written last. A restore checks every file against the manifest before it writes
 * anything, writes only into places that do not exist yet, and undoes everything it wrote when any step fails.
 */
public final class Backups {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    static final String FILES = "files";

    private Backups() {
    }

    /**
     * Something to copy into {@code files/}.
     *
     * @param name where it goes under {@code files/} and, on restore, under the data directory ({@code uploads},
     *             {@code proctoring/media}, {@code tool-key-encryption.key})
     * @param path the file or folder as it is now
     * @param key  a key file (left out when keys are excluded)
     */
    public record Source(String name, Path path, boolean key) {
    }

    /** What to back up. {@code database} empty = files only (an external database backed up with pg_dump). */
    public record Request(String app, Optional<DataSource> database, List<Source> sources, boolean includeKeys,
                          List<String> notes) {
    }

    /** Takes a backup into {@code target}, which must be missing or an empty folder. */
    public static BackupManifest take(Request request, Path target, Clock clock) {
        if (!CheckedFiles.missingOrEmpty(target)) {
            throw new BackupRefused("the backup folder " + target + " is not empty; give a new or empty folder");
        }
        boolean created = !Files.exists(target);
        String createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        long started = System.nanoTime();
        try {
            CheckedFiles.createDirectories(target);
            CheckedFiles.ownerOnly(target);
            List<BackupManifest.FileEntry> files = new ArrayList<>();
            BackupManifest.DatabasePart db = null;
            // the database first: every row it holds refers to files already stored (files are written before their row)
            if (request.database().isPresent()) {
                DatabaseDump.Result dump = DatabaseDump.write(request.database().get(), target);
                db = dump.part();
                files.addAll(dump.files());
            }
            boolean keys = false;
            for (Source s : request.sources()) {
                if (s.key() && !request.includeKeys()) {
                    continue;
                }
                List<BackupManifest.FileEntry> copied = CheckedFiles.copyTree(s.path(), target.resolve(FILES).resolve(s.name()), target);
                keys |= s.key() && !copied.isEmpty();
                files.addAll(copied);
            }
            files.sort(Comparator.comparing(BackupManifest.FileEntry::path));
            BackupManifest m = new BackupManifest(1, request.app(), version(), createdAt, db, keys, request.notes(), files);
            m.write(target);
            log.info("backup of {} written to {}: {} files, {} bytes, {} ms", request.app(), target, files.size(),
                    m.totalBytes(), (System.nanoTime() - started) / 1_000_000);
            return m;
        } catch (IOException e) {
            undo(target, created);
            throw new BackupRefused("cannot write the backup into " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            undo(target, created);
            throw e;
        }
    }

    /** Checks every file of the backup in {@code from} against its manifest; the first missing or changed one is refused by name. */
    public static BackupManifest verify(Path from) {
        BackupManifest m = BackupManifest.read(from);
        for (BackupManifest.FileEntry f : m.files()) {
            Path file = inside(from, f.path());
            if (!Files.isRegularFile(file)) {
                throw new BackupRefused("the backup is incomplete: " + file + " is missing");
            }
            BackupManifest.FileEntry actual;
            try {
                actual = CheckedFiles.measure(from, file);
            } catch (IOException e) {
                throw new BackupRefused("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (actual.size() != f.size() || !actual.sha256().equals(f.sha256())) {
                throw new BackupRefused("the backup is damaged: " + file + " does not match the manifest (size " + actual.size()
                        + ", expected " + f.size() + "; SHA-256 " + actual.sha256() + ", expected " + f.sha256()
                        + "); nothing was restored");
            }
        }
        if (m.database() != null) {
            for (BackupManifest.Table t : m.database().tables()) {
                if (m.files().stream().noneMatch(f -> f.path().equals(t.file()))) {
                    throw new BackupRefused("the manifest names table file " + t.file() + " but has no checksum for it");
                }
            }
        }
        return m;
    }

    /**
     * Restores the backup in {@code from} into {@code dataDir}: verifies it, refuses when anything it would write
     * already exists there (naming it), copies the files, starts an embedded PostgreSQL in
     * {@code dataDir/postgres/<app>}, migrates it and loads the dump. On failure, everything written is removed.
     */
    public static BackupManifest restore(Path from, Path dataDir) {
        BackupManifest m = verify(from);
        List<Path> writes = new ArrayList<>();
        if (m.database() != null) {
            writes.add(dataDir.resolve("postgres").resolve(m.app()));
            writes.add(dataDir.resolve("postgres").resolve(m.app() + ".password"));
        }
        Set<String> tops = new LinkedHashSet<>();
        for (BackupManifest.FileEntry f : m.files()) {
            if (f.path().startsWith(FILES + "/")) {
                tops.add(f.path().substring(FILES.length() + 1).split("/")[0]);
            }
        }
        tops.forEach(t -> writes.add(dataDir.resolve(t)));
        for (Path p : writes) {
            if (!CheckedFiles.missingOrEmpty(p)) {
                throw new BackupRefused("cannot restore into " + dataDir + ": " + p + " already exists; restore into an empty "
                        + "data directory (--data-dir) and point the configuration (dataDir / QATYSU_DATA_DIR) at it");
            }
        }
        boolean dataDirExisted = Files.exists(dataDir);
        try {
            createDirectories(dataDir);
            for (BackupManifest.FileEntry f : m.files()) {
                if (f.path().startsWith(FILES + "/")) {
                    copyChecked(from, f, dataDir.resolve(f.path().substring(FILES.length() + 1)), dataDir);
                }
            }
            if (m.database() != null) {
                DatabaseSettings embedded = new DatabaseSettings(Optional.empty(), "postgres", Optional.empty(), 2);
                try (Database db = Database.open(m.app(), embedded, dataDir)) {
                    // an external database shared by both applications holds the other one's tables too
                    for (String history : m.database().migrations().keySet()) {
                        String other = history.substring(DatabaseDump.HISTORY_PREFIX.length());
                        if (!other.equals(m.app())) {
                            Database.migrate(db.dataSource(), other);
                        }
                    }
                    DatabaseLoad.load(db.dataSource(), from, m.database());
                }
            }
            log.info("backup {} of {} ({}) restored into {}", from, m.app(), m.createdAt(), dataDir);
            return m;
        } catch (RuntimeException e) {
            writes.forEach(CheckedFiles::deleteTree);
            if (m.database() != null) {
                try {
                    Files.deleteIfExists(dataDir.resolve("postgres").resolve(m.app() + ".lock"));
                } catch (IOException ignored) {
                    // best effort
                }
            }
            if (!dataDirExisted) {
                CheckedFiles.deleteTree(dataDir);
            }
            throw e;
        }
    }

    private static void createDirectories(Path dir) {
        try {
            CheckedFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copyChecked(Path from, BackupManifest.FileEntry f, Path to, Path dataDir) {
        try (InputStream in = Files.newInputStream(inside(from, f.path())); CheckedFiles.Writer w = new CheckedFiles.Writer(dataDir, to)) {
            in.transferTo(w);
            w.close();
            if (!w.entry().sha256().equals(f.sha256())) {
                throw new BackupRefused("the backup changed while it was restored: " + from.resolve(f.path()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + to + ": " + e.getMessage(), e);
        }
    }

    /** {@code from/relative}, refusing a manifest path that would leave the backup folder. */
    private static Path inside(Path from, String relative) {
        Path p = from.resolve(relative).normalize();
        if (!p.startsWith(from.normalize()) || relative.contains("\\")) {
            throw new BackupRefused("the manifest names a file outside the backup: " + relative);
        }
        return p;
    }

    private static void undo(Path target, boolean created) {
        if (created) {
            CheckedFiles.deleteTree(target);
        } else {
            try (var s = Files.list(target)) {
                s.forEach(CheckedFiles::deleteTree);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** The Qatysu version of this build (the jar's), or {@code development} when run from classes. */
    static String version() {
        String v = Backups.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = Backups.class.getResourceAsStream("/META-INF/maven/kz.qatysu/qatysu-database/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "development");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "development";
    }
}
