package kz.qatysu.tool.proctoring.analysis;

import org.opencv.core.Core;

/**
 * Loads OpenCV's native library (from the {@code org.openpnp:opencv} jar, extracted to a temporary folder) once per
 * process, on first use: a tool that never analyses a face never loads it.
 */
final class OpenCvLibrary {
    private static volatile boolean loaded;

    private OpenCvLibrary() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        nu.pattern.OpenCV.loadLocally();
        // one analysis worker = one core: OpenCV's own threads would compete with the other workers and the web server
        Core.setNumThreads(1);
        loaded = true;
    }

    static String version() {
        load();
        return Core.VERSION;
    }
}
