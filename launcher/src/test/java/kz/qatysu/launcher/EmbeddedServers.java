package kz.qatysu.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/** The tests' view of an embedded server that a Qatysu process runs in {@code dataDir/postgres/<app>}. */
final class EmbeddedServers {
    private EmbeddedServers() {
    }

    /** The postmaster's pid: the first line of postmaster.pid. */
    static Optional<Long> postmasterPid(Path dataDir, String app) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve(app).resolve("postmaster.pid")).get(0).strip()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** A connection as the application connects: loopback, the port from postmaster.pid, the generated password. */
    static Connection connect(Path dataDir, String app) throws Exception {
        Path dir = dataDir.resolve("postgres").resolve(app);
        int port = Integer.parseInt(Files.readAllLines(dir.resolve("postmaster.pid")).get(3).strip());
        String password = Files.readString(dataDir.resolve("postgres").resolve(app + ".password")).strip();
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", password);
    }

    static String show(Connection c, String setting) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** kill -9 of the postmaster, if it still runs; waits until it is gone. */
    static void killPostmaster(Path dataDir, String app) throws Exception {
        Optional<ProcessHandle> pm = postmasterPid(dataDir, app).flatMap(ProcessHandle::of);
        if (pm.isPresent()) {
            pm.get().destroyForcibly();
            pm.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
