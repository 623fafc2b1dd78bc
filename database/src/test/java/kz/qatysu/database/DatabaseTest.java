package kz.qatysu.database;

import kz.qatysu.config.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void embedded_database_keeps_its_data_across_a_restart() {
        var settings = new DatabaseSettings(Optional.empty(), "postgres", Optional.empty(), 2);
        try (var db = Database.open("probe", settings, dataDir)) {
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE kept(v text); INSERT INTO kept VALUES ('қатысу')"));
        }
        try (var db = Database.open("probe", settings, dataDir)) {
            String v = db.jdbi().withHandle(h -> h.createQuery("SELECT v FROM kept").mapTo(String.class).one());
            assertThat(v).isEqualTo("қатысу");
        }
        assertThat(dataDir.resolve("postgres/probe/PG_VERSION")).exists();
    }
}
