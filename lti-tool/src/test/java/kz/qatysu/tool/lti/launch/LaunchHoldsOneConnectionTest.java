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
                var launch = new LtiFlow(tool, platform, new Browser())
                        .launch((nonce, target) -> LaunchClaims.moodleStudent(platform, nonce, target));
                assertThat(launch.statusCode()).as(launch.body()).isEqualTo(303);
            }
        }
    }
}
