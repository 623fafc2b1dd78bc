package kz.qatysu.database;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestPostgresTest {

    @Test
    void each_fresh_database_is_migrated_and_sees_none_of_the_rows_another_one_wrote() {
        try (Database first = TestPostgres.freshDatabase("clonetest")) {
            first.jdbi().useHandle(h -> h.execute("INSERT INTO note (v) VALUES ('written by the first test')"));
            try (Database second = TestPostgres.freshDatabase("clonetest")) {
                assertThat(notes(second)).containsExactly("from the migration");
                List<String> applied = second.jdbi().withHandle(h -> h.createQuery(
                        "SELECT version FROM flyway_history_clonetest WHERE success ORDER BY installed_rank")
                        .mapTo(String.class).list());
                assertThat(applied).containsExactly("1");
                // the serial goes on from where the migration left it, not from where the first test did
                int id = second.jdbi().withHandle(h -> h.createUpdate("INSERT INTO note (v) VALUES ('x')")
                        .executeAndReturnGeneratedKeys("id").mapTo(Integer.class).one());
                assertThat(id).isEqualTo(2);
            }
            assertThat(notes(first)).containsExactly("from the migration", "written by the first test");
        }
    }

    @Test
    void a_fresh_data_source_is_an_empty_database() throws Exception {
        try (var ds = TestPostgres.freshDataSource("empty"); var c = ds.getConnection();
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private static List<String> notes(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT v FROM note ORDER BY id").mapTo(String.class).list());
    }
}
