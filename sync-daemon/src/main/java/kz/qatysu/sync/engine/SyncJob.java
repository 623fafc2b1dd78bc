package kz.qatysu.sync.engine;

/**
 * A nightly job (accounts, sections, timetable, grades, attendance): reads its sources and says what each target
 * should hold. Planning, the safety valve, applying and recording are the engine's, the same for every job.
 */
public interface SyncJob {
    String name();

    /**
     * Reads the sources and builds the steps.
     *
     * @throws kz.qatysu.connectors.portal.SourceUnavailableException when a source cannot be read at all
     */
    JobInput prepare(JobContext context);
}
