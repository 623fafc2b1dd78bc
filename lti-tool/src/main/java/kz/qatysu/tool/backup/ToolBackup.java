package kz.qatysu.tool.backup;

import kz.qatysu.database.backup.BackupManifest;
import kz.qatysu.database.backup.Backups;
import kz.qatysu.tool.ToolSettings;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.lti.keys.KeyEncryption;
import kz.qatysu.tool.proctoring.media.MediaSettings;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a backup of the LTI tool holds and where the running tool writes it: the database (a consistent snapshot),
 * the excuse documents of earlier versions ({@code dataDir/uploads}), the media store's encrypted objects as they are
 * (proctoring media and excuse documents; {@code proctoring.media.dir}, restored to {@code dataDir/proctoring/media}), and — unless excluded — the key files
 * {@code dataDir/tool-key-encryption.key} and {@code dataDir/proctoring-media.key}. One backup at a time.
 */
public final class ToolBackup {
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ToolSettings settings;
    private final DataSource dataSource;
    private final Clock clock;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public ToolBackup(ToolSettings settings, DataSource dataSource, Clock clock) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Takes a backup into a new folder of {@code backup.dir}; a second one while the first runs is a 409. */
    public Taken take(boolean includeKeys) {
        if (!oneAtATime.tryLock()) {
            throw new ApiException(409, "a backup is being written already; try again when it has finished");
        }
        try {
            Path target = newFolder(settings.backup().dir(), "qatysu-tool-" + NAME.format(clock.instant()));
            BackupManifest m = Backups.take(request(settings, Optional.of(dataSource), includeKeys), target, clock);
            return new Taken(target, m);
        } finally {
            oneAtATime.unlock();
        }
    }

    /** A backup written: its folder and manifest. */
    public record Taken(Path folder, BackupManifest manifest) {
    }

    /** The tool's backup request: its database (empty = files only), its files, its keys and what is kept elsewhere. */
    public static Backups.Request request(ToolSettings s, Optional<DataSource> database, boolean includeKeys) {
        Path dataDir = s.process().dataDir();
        List<Backups.Source> sources = new ArrayList<>();
        sources.add(new Backups.Source("uploads", dataDir.resolve("uploads"), false));
        List<String> notes = new ArrayList<>();
        s.proctoringMedia().s3().ifPresentOrElse(
                s3 -> notes.add("the proctoring media and the excuse documents are in the object store (" + s3.endpoint() + ", bucket " + s3.bucket()
                        + ") and are not in this backup: back the bucket up with the store's own tools (versioning, "
                        + "replication or mc mirror / rclone sync)"),
                () -> sources.add(new Backups.Source("proctoring/media", s.proctoringMedia().dir(), false)));
        if (s.keyEncryptionKey().isEmpty()) {
            sources.add(new Backups.Source(KeyEncryption.KEY_FILE, dataDir.resolve(KeyEncryption.KEY_FILE), true));
        } else {
            notes.add(KeyEncryption.CONFIG_KEY + " is set in the configuration and is not in this backup: keep it with the backup");
        }
        if (s.proctoringMedia().encryptionKey().isEmpty()) {
            sources.add(new Backups.Source(MediaSettings.KEY_FILE, dataDir.resolve(MediaSettings.KEY_FILE), true));
        } else {
            notes.add(MediaSettings.ENCRYPTION_KEY + " is set in the configuration and is not in this backup: keep it with the backup");
        }
        if (!includeKeys) {
            notes.add("the key files were left out (backup.includeKeys=false): restore them from where they are kept, "
                    + "or the media and the signing keys are unreadable");
        }
        if (s.proctoringMedia().s3().isEmpty() && !s.proctoringMedia().dir().startsWith(dataDir)) {
            notes.add("proctoring.media.dir was " + s.proctoringMedia().dir() + "; a restore puts the media in "
                    + "dataDir/proctoring/media");
        }
        if (database.isEmpty()) {
            notes.add("files only: the database is backed up separately (pg_dump -Fc, docs/OPERATIONS.md)");
        }
        return new Backups.Request("tool", database, sources, includeKeys, notes);
    }

    /** {@code parent/name}, or {@code parent/name-2}, {@code -3}, … when taken. */
    static Path newFolder(Path parent, String name) {
        Path p = parent.resolve(name);
        for (int i = 2; Files.exists(p); i++) {
            p = parent.resolve(name + "-" + i);
        }
        return p;
    }
}
