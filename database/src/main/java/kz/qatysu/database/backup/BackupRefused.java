package kz.qatysu.database.backup;

/** A backup or restore that cannot be done, with a message naming the path, file or setting at fault. */
public final class BackupRefused extends RuntimeException {
    public BackupRefused(String message) {
        super(message);
    }

    public BackupRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
