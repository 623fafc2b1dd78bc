package kz.qatysu.sync.engine;

/** How a run ended, and the process exit code that says so to cron / systemd. */
public enum RunStatus {
    /** Everything planned was applied. */
    SUCCEEDED(0),
    /** Applied, but some records failed (named in the report); the rest went through. */
    PARTIAL(1),
    /** The plan was saved and printed; nothing was written. */
    DRY_RUN(0),
    /** The safety valve refused the plan; nothing was written. Review it, then run with --force. */
    REFUSED(2),
    /** A source could not be read or looked broken; nothing was written. */
    SOURCE_FAILED(65),
    /** A target stopped answering or refused the daemon's credentials; what was done before is recorded. */
    TARGET_FAILED(69),
    /** An unexpected error (a bug); what was done before is recorded. */
    FAILED(70),
    /** Another run of the same job holds the lock; nothing was done. */
    LOCKED(75),
    /** Still going (or, seen from a later run, killed mid-run: then it becomes CRASHED). */
    RUNNING(70),
    /** The process died mid-run; the next run resumed idempotently. */
    CRASHED(70);

    private final int exitCode;

    RunStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
