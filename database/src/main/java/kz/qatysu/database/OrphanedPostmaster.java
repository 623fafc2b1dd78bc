package kz.qatysu.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A postmaster left running in a data directory by a Qatysu process that died (kill -9, OOM killer, power to the
 * JVM only): {@code pg_ctl} makes the postmaster a session leader of its own, so it outlives the JVM and keeps the
 * data directory. Called only once the directory's {@link DataDirLock} is ours, so no living Qatysu uses it: the
 * orphan is stopped cleanly (a fast shutdown, which checkpoints) and the start proceeds.
 */
final class OrphanedPostmaster {
    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private OrphanedPostmaster() {
    }

    /**
     * Stops the postmaster named by {@code dataDirectory/postmaster.pid} if it still runs in that directory. A pid
     * file naming a process that is not a postmaster of this directory (the pid was reused after a reboot) is stale
     * and removed, since PostgreSQL would refuse to start while the named process lives.
     */
    static void stopIfRunning(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<Long> pid = pidOf(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // PostgreSQL itself recognises a pid file of a dead postmaster and recovers
        }
        Optional<String> command = process.get().info().command();
        if (command.isEmpty()) {
            throw new Database.DatabaseUnavailableException(pidFile + " names process " + pid.get() + ", which this user cannot"
                    + " inspect; if it is not a PostgreSQL server of this directory remove the file, else stop it, and start again", null);
        }
        if (!isPostmasterOf(command.get(), pid.get(), dataDirectory)) {
            log.warn("{} names process {}, which is not a postmaster of this directory; removing the stale file", pidFile, pid.get());
            deleteQuietly(pidFile);
            return;
        }
        log.warn("A PostgreSQL server (pid {}) left by a Qatysu process that is gone still runs in {}; stopping it", pid.get(), dataDirectory);
        stop(process.get(), dataDirectory);
    }

    static Optional<Long> pidOf(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A postgres executable whose working directory is the data directory (the postmaster changes into it). */
    private static boolean isPostmasterOf(String command, long pid, Path dataDirectory) {
        if (!Path.of(command).getFileName().toString().equals("postgres")) {
            return false;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "cwd")).equals(dataDirectory.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no /proc to ask: a postgres named by this directory's pid file is taken for its server
        }
    }

    /**
     * A fast shutdown (SIGINT: sessions are ended, a checkpoint is written), then an immediate one (SIGQUIT: the next
     * start recovers from the WAL) if the first does not finish in time. Signals, not pg_ctl: pg_ctl refuses to run
     * as root, and a supervisor may well run Qatysu as root.
     */
    static void stop(ProcessHandle postmaster, Path dataDirectory) {
        try {
            if (!signal(postmaster, "INT", STOP_WAIT) && !signal(postmaster, "QUIT", Duration.ofSeconds(15))) {
                throw new Database.DatabaseUnavailableException("the PostgreSQL server (pid " + postmaster.pid()
                        + ") running in " + dataDirectory + " did not stop; stop it (kill -QUIT " + postmaster.pid()
                        + ") and start again", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Database.DatabaseUnavailableException("interrupted while stopping the PostgreSQL server in " + dataDirectory, e);
        }
        log.info("Stopped the PostgreSQL server (pid {}) in {}", postmaster.pid(), dataDirectory);
    }

    /** Sends {@code SIG<name>} and waits for the exit; whether it exited in time. */
    private static boolean signal(ProcessHandle process, String name, Duration wait) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).redirectErrorStream(true).start();
            kill.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (kill.waitFor() != 0 && name.equals("INT")) {
                process.destroy(); // no kill(1): SIGTERM, a smart shutdown (the dead owner's sessions are gone)
            }
        } catch (IOException e) {
            process.destroy();
        }
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.getMessage());
        }
    }
}
