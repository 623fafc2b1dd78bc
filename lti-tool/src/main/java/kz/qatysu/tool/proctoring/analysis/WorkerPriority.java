package kz.qatysu.tool.proctoring.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the calling thread's CPU priority (its Linux nice value; at the highest, 19, also the {@code SCHED_IDLE}
 * scheduling policy) so the background face analysis yields the cores to
 * the examinees' requests: at 400 examinees one snapshot each per 10 s asks for ≈ 1.5 cores of analysis, which on a
 * 2-core host would otherwise starve the ingest (docs/BENCHMARKS.md, "Proctoring ingest"). Linux schedules threads
 * separately, so {@code setpriority(PRIO_PROCESS, tid)} — here util-linux's {@code renice} on the thread's id, read
 * from {@code /proc/thread-self} — changes this thread only. Raising one's own nice value needs no privilege.
 */
final class WorkerPriority {
    /** The highest nice value, at which the worker also runs under {@code SCHED_IDLE}. */
    static final int MAX_NICE = 19;

    private WorkerPriority() {
    }

    /**
     * Sets the calling thread's nice value, and at {@link #MAX_NICE} its policy to {@code SCHED_IDLE}; empty when done,
     * else why not (the thread then runs at normal priority, or at nice 19 without SCHED_IDLE).
     */
    static Optional<String> lowerCurrentThread(int nice) {
        if (nice == 0) {
            return Optional.empty();
        }
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            return Optional.of("/proc/thread-self is missing (not Linux)");
        }
        try {
            String tid = Files.readSymbolicLink(self).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", String.valueOf(nice), "-p", tid)
                    .redirectErrorStream(true).start();
            String out = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(10, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return Optional.of("renice did not finish in 10 s");
            }
            if (renice.exitValue() != 0) {
                return Optional.of("renice answered " + renice.exitValue() + ": " + out);
            }
            if (nice < MAX_NICE) {
                return Optional.empty();
            }
            // the lowest nice value still takes 1.5 % of a busy core and, more important, a waking request waits for the
            // worker's time slice; SCHED_IDLE runs the worker only on a core nothing else wants (sched(7); switching to
            // it needs no privilege)
            Process idle = new ProcessBuilder("chrt", "--idle", "-p", "0", tid).redirectErrorStream(true).start();
            String said = new String(idle.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!idle.waitFor(10, TimeUnit.SECONDS)) {
                idle.destroyForcibly();
                return Optional.of("chrt did not finish in 10 s");
            }
            return idle.exitValue() == 0 ? Optional.empty() : Optional.of("chrt --idle answered " + idle.exitValue() + ": " + said);
        } catch (IOException e) {
            return Optional.of("renice could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The calling thread's nice value as Linux reports it (field 19 of /proc/thread-self/stat). */
    static int currentNice() throws IOException {
        return niceOf(Files.readString(Path.of("/proc/thread-self/stat")));
    }

    /** Linux's number for the {@code SCHED_IDLE} scheduling policy (sched(7)), as {@code /proc/…/stat} field 41 shows it. */
    static final int SCHED_IDLE = 5;

    /** The calling thread's scheduling policy as Linux reports it (field 41 of /proc/thread-self/stat; 0 = SCHED_OTHER). */
    static int currentPolicy() throws IOException {
        return policyOf(Files.readString(Path.of("/proc/thread-self/stat")));
    }

    /** The scheduling policy in the text of a thread's {@code /proc/…/stat} (field 41). */
    static int policyOf(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[41 - 3]);
    }

    /** The nice value in the text of a thread's {@code /proc/…/stat} (field 19). */
    static int niceOf(String stat) {
        // the command name (field 2) may hold spaces; the fields after its closing parenthesis are plain
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[19 - 3]);
    }
}
