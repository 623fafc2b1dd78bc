package kz.qatysu.tool.lti.launch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import kz.qatysu.tool.testing.Browser;
import kz.qatysu.tool.testing.LaunchClaims;
import kz.qatysu.tool.testing.LtiFlow;
import kz.qatysu.tool.testing.RunningTool;
import kz.qatysu.tool.testing.TestPlatform;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A class start must never wait on the pool (issue 13 §6): a launch holds one connection at a time, so launches that
 * together hold the whole pool never wait on each other. Here the pool has two connections and another request holds
 * one of them: the launch must complete on the other.
 */
class LaunchHoldsOneConnectionTest {
    @Test
    void a_launch_completes_on_the_one_free_connection_of_the_pool() throws Exception {
        launchWithOneFreeConnection((platform, nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
    }

    /**
     * An Open edX launch names no portal section, person or name, so the tool looks them up — on the launch's own
     * connection. (It used to take a second connection for each look-up while holding the first: at 64 concurrent
     * launches on a pool of 10 every connection was held by a launch waiting for another, and launches failed after the
     * pool's 30 s timeout.)
     */
    @Test
    void an_open_edx_launch_that_looks_up_its_section_and_person_completes_on_the_one_free_connection() throws Exception {
        launchWithOneFreeConnection((platform, nonce, target) -> {
            Map<String, Object> c = LaunchClaims.moodleStudent(platform, nonce, target);
            for (String drop : java.util.List.of(LaunchClaims.LTI + "lis", "name", "given_name", "family_name")) {
                c.remove(drop);
            }
            c.put(LaunchClaims.LTI + "context", Map.of("id", "course-v1:edX+DemoX+Demo_Course"));
            return c;
        });
    }

    private interface Claims {
        Map<String, Object> of(TestPlatform platform, String nonce, String target);
    }

    private static void launchWithOneFreeConnection(Claims claims) throws Exception {
        HikariDataSource fresh = TestPostgres.freshDataSource("tool");
        HikariConfig small = new HikariConfig();
        small.setJdbcUrl(fresh.getJdbcUrl());
        small.setUsername(fresh.getUsername());
        small.setPassword(fresh.getPassword());
        small.setMaximumPoolSize(2);
        small.setConnectionTimeout(5_000);
        fresh.close();
        Database db = Database.wrap("tool", new HikariDataSource(small));
        try (RunningTool tool = RunningTool.onDatabase(db, Map.of());
             TestPlatform platform = new TestPlatform("http://127.0.0.1:8100", "c5dFF2OU3Si4N9D", "1")) {
            new LtiFlow(tool, platform, new Browser()).register();
            try (Connection otherRequest = db.dataSource().getConnection()) {
                assertThat(otherRequest.isValid(1)).isTrue();
                var launch = new LtiFlow(tool, platform, new Browser()).launch((nonce, target) -> claims.of(platform, nonce, target));
                assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
            }
        }
    }
}
