package kz.qatysu.tool.lti.keys;

import kz.qatysu.tool.testing.SteppedClock;
import kz.qatysu.database.Database;
import kz.qatysu.database.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import kz.qatysu.config.ConfigProblems;
import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ConfigSource;
import kz.qatysu.tool.ToolSettings;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolKeysTest {
    static final KeyEncryption KEK = KeyEncryption.of(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    @TempDir
    Path dataDir;
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
        ToolKeys first = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
        first.initialize();
        ToolKeys again = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
        again.initialize();
        assertThat(again.signingKey().getKeyID()).isEqualTo(first.signingKey().getKeyID());
        assertThat(again.publicJwks().getKeys()).hasSize(1);
        assertThat(again.publicJwks().getKeys().get(0).isPrivate()).isFalse();
    }

    @Test
    void a_rotated_key_stays_published_for_the_grace_period_then_disappears() {
        ToolKeys keys = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
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
        ToolKeys a = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
        a.initialize();
        ToolKeys b = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
        b.initialize();
        String fresh = a.rotate();
        clock.advance(Duration.ofSeconds(31));
        assertThat(b.signingKey().getKeyID()).isEqualTo(fresh);
    }

    @Test
    void the_private_key_is_stored_encrypted_not_as_its_json() {
        ToolKeys keys = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
        keys.initialize();
        String stored = storedJwk();
        assertThat(stored).startsWith("aes-gcm:v1:")
                .doesNotContain("\"d\"").doesNotContain(keys.signingKey().getPrivateExponent().toString())
                .doesNotContain(keys.signingKey().getModulus().toString());
        assertThat(keys.signingKey().isPrivate()).isTrue();
    }

    @Test
    void a_key_stored_in_plain_json_by_the_previous_version_is_encrypted_at_start_and_keeps_signing() throws Exception {
        RSAKey old = new RSAKeyGenerator(2048).keyID("old-plain").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO tool_key (kid, private_jwk) VALUES ('old-plain', :jwk)")
                .bind("jwk", old.toJSONString()).execute());
        ToolKeys keys = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK);
        keys.initialize();
        assertThat(keys.signingKey()).isEqualTo(old);
        assertThat(storedJwk()).startsWith("aes-gcm:v1:").doesNotContain(old.getPrivateExponent().toString());
    }

    @Test
    void another_key_encryption_key_cannot_read_the_keys_and_says_which_setting_to_fix() {
        new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KEK).initialize();
        ToolKeys other = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KeyEncryption.of(new byte[32]));
        assertThatThrownBy(other::initialize).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be decrypted").hasMessageContaining("lti.keyEncryptionKey (QATYSU_LTI_KEY_ENCRYPTION_KEY)");
    }

    @Test
    void without_a_configured_key_one_is_generated_in_the_data_directory_for_the_owner_alone_and_kept() throws Exception {
        new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KeyEncryption.from(Optional.empty(), dataDir)).initialize();
        Path file = dataDir.resolve("tool-key-encryption.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ToolKeys again = new ToolKeys(db.jdbi(), clock, Duration.ofDays(7), KeyEncryption.from(Optional.empty(), dataDir));
        again.initialize();
        assertThat(again.signingKey().isPrivate()).isTrue();
    }

    @Test
    void a_key_encryption_key_that_is_not_32_bytes_of_base64_is_refused_at_start_naming_the_key_not_its_value() {
        ConfigProblems problems = new ConfigProblems();
        ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_PUBLIC_URL", "http://localhost:8080",
                "QATYSU_LTI_KEY_ENCRYPTION_KEY", "too-short-secret")), problems));
        assertThat(problems.list()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("lti.keyEncryptionKey");
            assertThat(p.toString()).contains("32 random bytes in base64").doesNotContain("too-short-secret");
        });
        ConfigProblems ok = new ConfigProblems();
        ToolSettings s = ToolSettings.read(new ConfigReader(ConfigSource.of("", Map.of("QATYSU_PUBLIC_URL", "http://localhost:8080",
                "QATYSU_LTI_KEY_ENCRYPTION_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]))), ok));
        assertThat(ok.list()).isEmpty();
        assertThat(s.keyEncryptionKey()).isPresent();
    }

    private String storedJwk() {
        String jwk = db.jdbi().withHandle(h -> h.createQuery("SELECT private_jwk FROM tool_key").mapTo(String.class).one());
        return jwk;
    }
}
