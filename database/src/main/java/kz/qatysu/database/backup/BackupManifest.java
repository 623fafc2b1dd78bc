package kz.qatysu.database.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of one backup, written last (a folder without it is an unfinished backup): which application,
 * which Qatysu, when, the database's tables with their row counts and applied migrations, and every file with its
 * size and SHA-256. Restore checks every file against it before it writes anything.
 *
 * @param format       the manifest's format (1)
 * @param app          {@code tool} or {@code sync}
 * @param qatysuVersion the version that took the backup
 * @param createdAt    when the backup started (ISO-8601, UTC)
 * @param database     the logical dump of the database; null in a files-only backup
 * @param keysIncluded whether the key files are in the backup (then it must be protected like the keys)
 * @param notes        what the backup does not hold and the operator must keep elsewhere (e.g. keys set in configuration)
 * @param files        every file of the backup but this manifest, in path order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(int format, String app, String qatysuVersion, String createdAt, DatabasePart database,
                             boolean keysIncluded, List<String> notes, List<FileEntry> files) {
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param postgresVersion the server's {@code server_version}
     * @param migrations      per Flyway history table, the successfully applied versions with their checksums
     *                        ({@code "1.2:12345"}), in installed order
     * @param tables          every table of the schema, in the order they were copied
     * @param sequences       every sequence with its last value (null: never used)
     */
    public record DatabasePart(String postgresVersion, Map<String, List<String>> migrations, List<Table> tables,
                               Map<String, Long> sequences) {
    }

    /** One table: its name, the columns copied (generated columns are left out), the rows and the file holding them. */
    public record Table(String name, List<String> columns, long rows, String file) {
    }

    /** One file of the backup, relative to its folder with {@code /} separators. */
    public record FileEntry(String path, long size, String sha256) {
    }

    public void write(Path folder) {
        try {
            Path tmp = folder.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, folder.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(FILE), e);
        }
    }

    /** Reads the manifest of {@code folder}; a missing or unreadable one is a refusal naming it. */
    public static BackupManifest read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BackupRefused(file + " is missing: not a Qatysu backup, or one that did not finish");
        }
        try {
            BackupManifest m = JSON.readValue(file.toFile(), BackupManifest.class);
            if (m.format() != 1 || m.app() == null || m.files() == null) {
                throw new BackupRefused(file + ": not a manifest of format 1 naming its app and files");
            }
            return m;
        } catch (IOException e) {
            throw new BackupRefused(file + " is not readable JSON: " + e.getMessage());
        }
    }

    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }
}
