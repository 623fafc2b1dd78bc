package kz.qatysu.tool.backup;

import kz.qatysu.config.ConfigReader;

import java.nio.file.Path;

/**
 * {@code backup.*}, validated at start-up.
 *
 * @param dir         {@code backup.dir} ({@code QATYSU_BACKUP_DIR}): the folder the running tool writes its backups into,
 *                    one sub-folder per backup; default {@code dataDir/backups}
 * @param includeKeys {@code backup.includeKeys} ({@code QATYSU_BACKUP_INCLUDE_KEYS}): whether a backup holds the key
 *                    files without which the media store and the signing keys are unreadable (default true; then the
 *                    backup must be protected like the keys themselves)
 */
public record BackupSettings(Path dir, boolean includeKeys) {

    public static BackupSettings read(ConfigReader r, Path dataDir) {
        Path dir = r.path("backup.dir", dataDir.resolve("backups")).toAbsolutePath().normalize();
        if (dir.startsWith(dataDir.resolve("postgres"))) {
            r.problem("backup.dir", "must not be inside the embedded PostgreSQL's folder " + dataDir.resolve("postgres"));
        }
        return new BackupSettings(dir, r.bool("backup.includeKeys", true));
    }
}
