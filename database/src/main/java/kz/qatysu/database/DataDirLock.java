package kz.qatysu.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The Qatysu-owned lock of one embedded data directory ({@code dataDir/postgres/<app>.lock}), held for as long as
 * this process runs the server. The operating system releases the lock when its owner dies, however it dies, so a
 * lock that can be taken means no living Qatysu owns the directory and any postmaster still running in it is an
 * orphan. The file names its owner (pid, start time, command) for the message that refuses a second start.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dataDirectory}, or refuses when a living Qatysu process holds it. */
    static DataDirLock acquire(Path lockFile, Path dataDirectory) {
        FileChannel channel = null;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process already runs the server of this directory
            }
            if (lock == null) {
                String owner = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new Database.DatabaseUnavailableException(refusal(dataDirectory, owner), null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(ownerLine().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + lockFile, e);
        }
    }

    /**
     * Who holds the lock of {@code lockFile} now (its owner line), or empty when no living process does. Taking and
     * at once releasing the lock is the test, so a dead owner's file reads as free.
     */
    static java.util.Optional<String> heldBy(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return java.util.Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return java.util.Optional.of(ownerLine().strip());
            }
            if (lock != null) {
                lock.release();
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Files.readString(lockFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock " + lockFile, e);
        }
    }

    /** The exact refusal: who owns the directory and what to do. */
    static String refusal(Path dataDirectory, String owner) {
        String pid = owner.replaceAll("(?s)^pid=(\\d+).*$", "$1");
        return "the embedded PostgreSQL in " + dataDirectory + " belongs to a Qatysu process that is still running ("
                + owner.replace('\n', ' ') + "). Stop that process first (kill " + pid
                + ", or systemctl stop the unit that runs it) and start again, or give this one another data directory"
                + " (QATYSU_DATA_DIR) or an external PostgreSQL (QATYSU_DB_URL).";
    }

    private static String ownerLine() {
        ProcessHandle self = ProcessHandle.current();
        return "pid=" + self.pid()
                + " started=" + self.info().startInstant().map(Instant::toString).orElse("unknown")
                + " command=" + self.info().command().orElse("unknown") + "\n";
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it that matters
            }
        }
    }
}
