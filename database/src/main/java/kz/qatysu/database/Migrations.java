package kz.qatysu.database;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Whether every migration this build ships for an application is applied: the readiness checks' "migrations"
 * component. The versions are read from the classpath once; each check is one query on the history table.
 */
public final class Migrations {
    private final DataSource dataSource;
    private final String historyTable;
    private final String[] versions;

    public Migrations(DataSource dataSource, String app) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.historyTable = "flyway_history_" + app;
        this.versions = Arrays.stream(Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + app)
                        .table(historyTable).load().info().all())
                .map(MigrationInfo::getVersion).filter(Objects::nonNull).map(Object::toString)
                .filter(v -> !v.equals("0")).distinct().toArray(String[]::new);
    }

    /** True when every shipped version has a successful row in the history table. */
    public boolean applied() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT count(DISTINCT version) FROM " + historyTable
                     + " WHERE success AND version = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", versions));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) == versions.length;
            }
        }
    }

    public int shipped() {
        return versions.length;
    }
}
