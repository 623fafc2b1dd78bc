package kz.qatysu.tool.lti.keys;

import kz.qatysu.tool.testing.SteppedClock;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ToolKeysTest {
    Database db;
    SteppedClock clock = new SteppedClock(Instant.parse("2026-11-24T08:00:00Z"));

    @BeforeEach
    void open() {
        db = TestPostgres.freshDatabase("tool");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void the_first_start_generates_one_key_and_a_restart_keeps_it() {
        ToolKeys first = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7));
        first.initialize();
        ToolKeys again = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7));
        again.initialize();
        assertThat(again.signingKey().getKeyID()).isEqualTo(first.signingKey().getKeyID());
        assertThat(again.publicJwks().getKeys()).hasSize(1);
        assertThat(again.publicJwks().getKeys().get(0).isPrivate()).isFalse();
    }

    @Test
    void a_rotated_key_stays_published_for_the_grace_period_then_disappears() {
        ToolKeys keys = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7));
        keys.initialize();
        String old = keys.signingKey().getKeyID();
        String fresh = keys.rotate();
        assertThat(keys.signingKey().getKeyID()).isEqualTo(fresh).isNotEqualTo(old);
        assertThat(keys.publicJwks().getKeys()).extracting(k -> k.getKeyID()).containsExactlyInAnyOrder(old, fresh);
        clock.advance(Duration.ofDays(7).plusMinutes(1));
        assertThat(keys.publicJwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(fresh);
    }

    @Test
    void another_instance_sees_the_rotation_within_its_reload_interval() {
        ToolKeys a = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7));
        a.initialize();
        ToolKeys b = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7));
        b.initialize();
        String fresh = a.rotate();
        clock.advance(Duration.ofSeconds(31));
        assertThat(b.signingKey().getKeyID()).isEqualTo(fresh);
    }

}
