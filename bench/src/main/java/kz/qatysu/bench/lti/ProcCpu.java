package kz.qatysu.bench.lti;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process (and optionally its descendants) has used, from {@code /proc/<pid>/stat} (Linux). */
public final class ProcCpu {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ProcCpu() {
    }

    /** utime + stime of {@code pid} in milliseconds, or 0 when the process is gone. */
    public static long millis(long pid) {
        return ticks(pid, false) * 1000 / TICKS_PER_SECOND;
    }

    /**
     * The process, the children it already reaped (cutime + cstime) and its live descendants: a PostgreSQL
     * postmaster with its backends, including backends of pooled connections that closed meanwhile.
     */
    public static long treeMillis(long pid) {
        long total = ticks(pid, true) * 1000 / TICKS_PER_SECOND;
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            total += handle.get().descendants().mapToLong(h -> ticks(h.pid(), true) * 1000 / TICKS_PER_SECOND).sum();
        }
        return total;
    }

    private static long ticks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name (field 2) may contain spaces: fields after the closing parenthesis are fixed
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
