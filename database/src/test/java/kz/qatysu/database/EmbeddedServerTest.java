package kz.qatysu.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.qatysu.config.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedServerTest {
    static final DatabaseSettings EMBEDDED = new DatabaseSettings(Optional.empty(), "postgres", Optional.empty(), 2);

    @TempDir
    Path dataDir;

    @Test
    void the_server_runs_with_postgresqls_durable_settings() {
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            for (String setting : new String[]{"fsync", "synchronous_commit", "full_page_writes"}) {
                assertThat(one(db, "SHOW " + setting))
                        .as(setting).isEqualTo("on");
            }
        }
    }

    @Test
    void a_connection_without_the_password_is_refused_and_the_password_file_is_the_owners_alone() throws Exception {
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            int port = port(dataDir.resolve("postgres/probe"));
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            Path passwordFile = dataDir.resolve("postgres/probe.password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            try (var c = DriverManager.getConnection(url, "postgres", Files.readString(passwordFile).strip())) {
                assertThat(c.isValid(2)).isTrue();
            }
            assertThat(one(db, "SHOW listen_addresses"))
                    .isEqualTo("localhost");
        }
    }

    @Test
    void a_data_directory_of_the_previous_version_which_trusted_everyone_keeps_its_data_and_then_needs_the_password()
            throws Exception {
        Path dir = dataDir.resolve("postgres/probe");
        Files.createDirectories(dir);
        // what the previous version did: zonky's defaults, initdb -A trust, no password
        try (var old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).start();
             var c = old.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE kept(v text); INSERT INTO kept VALUES ('before the upgrade')");
        }
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            assertThat(one(db, "SELECT v FROM kept"))
                    .isEqualTo("before the upgrade");
            String url = "jdbc:postgresql://localhost:" + port(dir) + "/postgres";
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", null).close()).isInstanceOf(SQLException.class);
        }
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            assertThat(one(db, "SELECT count(*) FROM kept")).isEqualTo("1");
        }
    }

    @Test
    void a_data_directory_whose_owner_is_alive_is_refused_with_what_to_do() throws Exception {
        Process owner = HoldsDatabase.start(dataDir, "probe", "owned");
        try {
            assertThatThrownBy(() -> Database.open("probe", EMBEDDED, dataDir))
                    .isInstanceOf(Database.DatabaseUnavailableException.class)
                    .hasMessageStartingWith("the embedded PostgreSQL in " + dataDir.resolve("postgres/probe")
                            + " belongs to a Qatysu process that is still running (pid=" + owner.pid() + " started=")
                    .hasMessageEndingWith("). Stop that process first (kill " + owner.pid() + ", or systemctl stop the unit that runs it)"
                            + " and start again, or give this one another data directory (QATYSU_DATA_DIR) or an external"
                            + " PostgreSQL (QATYSU_DB_URL).");
        } finally {
            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            stopOrphan(dataDir.resolve("postgres/probe"));
        }
    }

    @Test
    void a_postmaster_left_by_a_killed_owner_is_stopped_and_the_start_proceeds_with_the_data() throws Exception {
        Path dir = dataDir.resolve("postgres/probe");
        Process owner = HoldsDatabase.start(dataDir, "probe", "written before the crash");
        owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9 of the JVM alone
        long orphan = OrphanedPostmaster.pidOf(dir.resolve("postmaster.pid")).orElseThrow();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the postmaster outlives its JVM").contains(true);
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            assertThat(db.jdbi().withHandle(h -> h.createQuery("SELECT v FROM kept").mapTo(String.class).list()).stream().toList())
                    .containsExactly("written before the crash");
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void a_pid_file_naming_a_live_process_that_is_not_its_postmaster_is_stale_and_the_start_proceeds() throws Exception {
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE kept(v text)"));
        }
        // after a reboot the pid in a postmaster.pid left by a power cut may belong to anything: here, this JVM
        Path pidFile = dataDir.resolve("postgres/probe/postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + dataDir.resolve("postgres/probe") + "\n1\n5432\n");
        try (var db = Database.open("probe", EMBEDDED, dataDir)) {
            assertThat(one(db, "SELECT count(*) FROM kept")).isEqualTo("0");
        }
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void the_sync_and_tool_servers_of_one_data_directory_have_their_own_locks_and_passwords() {
        try (var tool = Database.open("tool-probe", EMBEDDED, dataDir); var sync = Database.open("sync-probe", EMBEDDED, dataDir)) {
            assertThat(one(tool, "SELECT 1")).isEqualTo("1");
            assertThat(one(sync, "SELECT 1")).isEqualTo("1");
            assertThat(dataDir.resolve("postgres/tool-probe.lock")).exists();
            assertThat(dataDir.resolve("postgres/sync-probe.password")).exists();
        }
    }

    static String one(Database db, String sql) {
        String value = db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
        return value;
    }

    static int port(Path dir) throws Exception {
        return Integer.parseInt(Files.readAllLines(dir.resolve("postmaster.pid")).get(3).strip());
    }

    /** The test's own clean-up of a postmaster whose JVM it killed. */
    static void stopOrphan(Path dir) throws Exception {
        Optional<Long> pid = OrphanedPostmaster.pidOf(dir.resolve("postmaster.pid"));
        if (pid.isPresent()) {
            OrphanedPostmaster.stopIfRunning(dir);
        }
    }
}
