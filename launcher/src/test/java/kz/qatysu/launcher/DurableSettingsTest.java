package kz.qatysu.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded servers that {@code ./qatysu tool} and {@code ./qatysu demo} start run with PostgreSQL's durable settings. */
class DurableSettingsTest {
    @TempDir
    Path dataDir;

    @Test
    void the_server_that_tool_starts_syncs_every_commit_to_disk() throws Exception {
        var tool = ToolCommand.start(new String[0], Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_HTTP_PORT", "0",
                "QATYSU_ADMIN_TOKEN", "a-long-enough-admin-token"));
        try (var c = tool.database().connection()) {
            assertThat(EmbeddedServers.show(c, "fsync")).isEqualTo("on");
            assertThat(EmbeddedServers.show(c, "synchronous_commit")).isEqualTo("on");
            assertThat(EmbeddedServers.show(c, "full_page_writes")).isEqualTo("on");
        } finally {
            tool.app().javalin().stop();
            tool.database().close();
        }
    }

    @Test
    void the_tool_and_sync_servers_that_demo_starts_sync_every_commit_to_disk() throws Exception {
        System.setProperty("qatysu.home", Path.of("..").toAbsolutePath().normalize().toString());
        int demoPort;
        try (var s = new ServerSocket(0)) {
            demoPort = s.getLocalPort();
        }
        var out = new ByteArrayOutputStream();
        int code = DemoCommand.run(new String[0], Map.of("QATYSU_DATA_DIR", dataDir.toString(), "QATYSU_HTTP_PORT", "0",
                "QATYSU_DEMO_PORT", String.valueOf(demoPort)), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        for (String app : new String[]{"tool", "sync"}) {
            try (var c = EmbeddedServers.connect(dataDir, app)) {
                assertThat(EmbeddedServers.show(c, "fsync")).as(app).isEqualTo("on");
                assertThat(EmbeddedServers.show(c, "synchronous_commit")).as(app).isEqualTo("on");
                assertThat(EmbeddedServers.show(c, "full_page_writes")).as(app).isEqualTo("on");
            }
        }
        // the demo's servers stop with this JVM (its shutdown hooks), as they do when ./qatysu demo gets Ctrl+C
    }
}
