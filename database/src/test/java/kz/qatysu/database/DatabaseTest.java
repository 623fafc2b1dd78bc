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

    @Test
    void a_migration_shipped_later_in_a_lower_feature_block_is_applied_after_higher_ones() throws Exception {
        Path migrations = dataDir.resolve("migrations");
        java.nio.file.Files.createDirectories(migrations);
        java.nio.file.Files.writeString(migrations.resolve("V20__core.sql"), "CREATE TABLE core (id int);");
        java.nio.file.Files.writeString(migrations.resolve("V90__later_feature.sql"), "CREATE TABLE later (id int);");
        try (var ds = TestPostgres.freshDataSource("order")) {
            Database.migrate(ds, "flyway_history_order", "filesystem:" + migrations);
            // the next release brings a feature in the V30 block, below the V90 already applied
            java.nio.file.Files.writeString(migrations.resolve("V30__warnings.sql"), "CREATE TABLE warnings (core_id int);");
            Database.migrate(ds, "flyway_history_order", "filesystem:" + migrations);
            try (var c = ds.getConnection(); var rs = c.createStatement().executeQuery(
                    "SELECT version FROM flyway_history_order WHERE success ORDER BY installed_rank")) {
                java.util.List<String> applied = new java.util.ArrayList<>();
                while (rs.next()) {
                    applied.add(rs.getString(1));
                }
                assertThat(applied).containsExactly("20", "90", "30");
            }
        }
    }
}
