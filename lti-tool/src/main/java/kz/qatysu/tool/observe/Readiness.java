package kz.qatysu.tool.observe;

import kz.qatysu.database.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ready}: the database answers, every migration of this build is applied, and — while a proctored exam
 * is open or to come — the face analysis models are loaded (a probe that finds them not loaded starts loading them,
 * so the node becomes ready without waiting for the first examinee). The answer names components and their status
 * only; why a component failed goes to the log.
 */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    private final DataSource dataSource;
    private final Migrations migrations;
    private final BooleanSupplier modelsLoaded;
    private final Runnable loadModels;

    public Readiness(DataSource dataSource, Migrations migrations, BooleanSupplier modelsLoaded, Runnable loadModels) {
        this.dataSource = dataSource;
        this.migrations = migrations;
        this.modelsLoaded = modelsLoaded;
        this.loadModels = loadModels;
    }

    /** The components and whether each is up ("up" / "down"); ready when all are up. */
    public Map<String, String> check() {
        Map<String, String> out = new LinkedHashMap<>();
        boolean proctoringOn = false;
        try (Connection c = dataSource.getConnection()) {
            c.setNetworkTimeout(Runnable::run, 2000);
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT EXISTS (SELECT 1 FROM proctored_exam WHERE proctored AND closes_at > now())");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                proctoringOn = rs.getBoolean(1);
            }
            out.put("database", "up");
        } catch (Exception e) {
            log.warn("ready check: the database is not reachable: {}", e.getMessage());
            out.put("database", "down");
        }
        try {
            out.put("migrations", out.get("database").equals("up") && migrations.applied() ? "up" : "down");
        } catch (Exception e) {
            log.warn("ready check: cannot read the migration history: {}", e.getMessage());
            out.put("migrations", "down");
        }
        if (proctoringOn) {
            boolean loaded = modelsLoaded.getAsBoolean();
            if (!loaded) {
                loadModels.run();
            }
            out.put("faceModels", loaded ? "up" : "down");
        }
        return out;
    }

    public static boolean ready(Map<String, String> components) {
        return components.values().stream().allMatch("up"::equals);
    }
}
