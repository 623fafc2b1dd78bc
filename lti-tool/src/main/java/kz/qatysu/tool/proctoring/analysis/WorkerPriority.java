package kz.qatysu.tool.proctoring.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the calling thread's CPU priority (its Linux nice value) so the background face analysis yields the cores to
 * the examinees' requests: at 400 examinees one snapshot each per 10 s asks for ≈ 1.5 cores of analysis, which on a
 * 2-core host would otherwise starve the ingest (docs/BENCHMARKS.md, "Proctoring ingest"). Linux schedules threads
 * separately, so {@code setpriority(PRIO_PROCESS, tid)} — here util-linux's {@code renice} on the thread's id, read
 * from {@code /proc/thread-self} — changes this thread only. Raising one's own nice value needs no privilege.
 */
final class WorkerPriority {
    private WorkerPriority() {
    }

    /** Sets the calling thread's nice value; empty when done, else why not (the thread then runs at normal priority). */
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
            return renice.exitValue() == 0 ? Optional.empty() : Optional.of("renice answered " + renice.exitValue() + ": " + out);
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

    /** The nice value in the text of a thread's {@code /proc/…/stat} (field 19). */
    static int niceOf(String stat) {
        // the command name (field 2) may hold spaces; the fields after its closing parenthesis are plain
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[19 - 3]);
    }
}
