package kz.qatysu.database;

import kz.qatysu.config.DatabaseSettings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A second Qatysu-like process for the tests: opens the embedded database of {@code args[1]} in data directory
 * {@code args[0]} the way the product does, writes {@code args[2]} into it, says READY and runs until killed.
 */
public final class HoldsDatabase {
    private HoldsDatabase() {
    }

    public static void main(String[] args) throws Exception {
        Database db = Database.open(args[1], new DatabaseSettings(Optional.empty(), "postgres", Optional.empty(), 2), Path.of(args[0]));
        db.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS kept(v text)"));
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO kept VALUES (:v)").bind("v", args[2]).execute());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts it as a separate JVM on the test classpath and waits for READY. */
    static Process start(Path dataDir, String app, String value) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldsDatabase.class.getName(), dataDir.toString(), app, value)
                .redirectErrorStream(true).start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("READY")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the process was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the holder exited with " + p.waitFor() + ":\n" + seen);
    }
}
