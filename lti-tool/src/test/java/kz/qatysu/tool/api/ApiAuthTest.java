package kz.qatysu.tool.api;

import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two {@link ApiAuth}s on one database are two nodes: a revocation through one reaches the other within the bound. */
class ApiAuthTest {
    static Database db;

    @BeforeAll
    static void start() {
        db = TestPostgres.freshDatabase("tool");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void a_token_revoked_through_node_a_is_refused_at_once_there_and_by_node_b_within_the_cache_age() throws Exception {
        ApiAuth a = new ApiAuth(Optional.empty(), db.jdbi());
        ApiAuth b = new ApiAuth(Optional.empty(), db.jdbi());
        ApiAuth.IssuedToken issued = a.issue("sis", EnumSet.of(Scope.SYNC));
        String header = "Bearer " + issued.token();
        assertThat(a.authenticate(header).name()).isEqualTo("sis");
        assertThat(b.authenticate(header).name()).as("node B has read the token").isEqualTo("sis");

        long revoked = System.nanoTime();
        assertThat(a.revoke(issued.id())).isTrue();
        assertThatThrownBy(() -> a.authenticate(header)).as("node A, at once").isInstanceOf(ApiException.class)
                .hasMessageContaining("revoked");
        long deadline = revoked + ApiAuth.CACHE_AGE.toNanos() + 2_000_000_000L;
        while (true) {
            try {
                b.authenticate(header);
            } catch (ApiException e) {
                assertThat(e.status()).isEqualTo(401);
                break;
            }
            assertThat(System.nanoTime()).as("node B still accepts the revoked token").isLessThan(deadline);
            Thread.sleep(100);
        }
        System.out.printf("[api] node B refused the token revoked through node A after %d ms%n", (System.nanoTime() - revoked) / 1_000_000);
    }

    @Test
    void made_up_tokens_do_not_grow_a_nodes_memory_past_its_bound() {
        ApiAuth auth = new ApiAuth(Optional.empty(), db.jdbi(), 50);
        ApiAuth.IssuedToken real = auth.issue("real", EnumSet.of(Scope.SYNC));
        for (int i = 0; i < 300; i++) {
            String made = "qat_made-up-" + i;
            assertThatThrownBy(() -> auth.authenticate("Bearer " + made)).isInstanceOf(ApiException.class);
            assertThat(auth.cachedTokens()).isLessThanOrEqualTo(50);
        }
        assertThat(auth.authenticate("Bearer " + real.token()).name()).isEqualTo("real");
    }
}
