package kz.qatysu.bench.lti;

import kz.qatysu.demo.platform.DemoPlatform;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SQL statements the tool's PostgreSQL runs per launch, counted by {@code pg_stat_statements} (loaded by the
 * benchmark's server, tracking nothing until this switches it on for its own untimed run, so the timed runs carry no
 * statement-tracking overhead): {@code n} login initiations, then the {@code n} id_token POSTs answering them, then
 * the {@code n} landing pages, one at a time, each step counted on its own.
 */
final class SqlCounts {
    private final DataSource toolDb;

    SqlCounts(DataSource toolDb) {
        this.toolDb = toolDb;
    }

    String perLaunch(HttpClient http, DemoPlatform platform, String toolBase, String clientId, String deployment, String browserCookie, int n)
            throws Exception {
        String url = toolBase + "/lti/launch";
        track("top");
        try {
            reset();
            List<ToolLogins.Prepared> states = ToolLogins.prepare(http, toolBase, platform.issuer(), clientId, deployment, url, browserCookie, n);
            Map<String, double[]> login = read();
            List<TokenPoster.Prepared> posts = TokenPoster.forQatysu(platform, url, clientId, states, browserCookie);
            reset();
            List<String[]> landings = new ArrayList<>();
            for (TokenPoster.Prepared p : posts) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", p.cookie()).POST(HttpRequest.BodyPublishers.ofString(p.body())).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 303) {
                    throw new IllegalStateException("launch answered " + r.statusCode());
                }
                String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
                landings.add(new String[]{URI.create(toolBase).resolve(r.headers().firstValue("Location").orElseThrow()).toString(), cookie});
            }
            Map<String, double[]> launch = read();
            reset();
            for (String[] l : landings) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(l[0])).header("Cookie", l[1]).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("landing page answered " + r.statusCode());
                }
            }
            Map<String, double[]> landing = read();
            return markdown(n, Map.of("login initiation (GET /lti/login)", login, "id_token POST (/lti/launch)", launch,
                    "landing page (GET /app/<launch>/)", landing));
        } finally {
            track("none");
        }
    }

    private static String markdown(int n, Map<String, Map<String, double[]>> steps) {
        StringBuilder b = new StringBuilder("\n### SQL statements per launch (pg_stat_statements, ").append(n)
                .append(" launches one at a time, untimed; plan and execution time per call as PostgreSQL measured them, with "
                        + "pg_stat_statements.track_planning on for this run only)\n\n| step | statements per launch | statement (normalised) "
                        + "| calls per launch | plan ms per call | execution ms per call |\n|---|---:|---|---:|---:|---:|\n");
        double total = 0;
        for (String step : List.of("login initiation (GET /lti/login)", "id_token POST (/lti/launch)", "landing page (GET /app/<launch>/)")) {
            Map<String, double[]> calls = steps.get(step);
            double sum = calls.values().stream().mapToDouble(c -> c[0]).sum() / n;
            total += sum;
            boolean first = true;
            for (var e : calls.entrySet()) {
                double[] c = e.getValue();
                b.append(String.format(Locale.ROOT, "| %s | %s | `%s` | %.2f | %.3f | %.3f |%n", first ? step : "",
                        first ? String.format(Locale.ROOT, "%.2f", sum) : "", e.getKey().replaceAll("\\s+", " ").replace("|", "\\|"),
                        c[0] / n, c[1] / c[0], c[2] / c[0]));
                first = false;
            }
        }
        b.append(String.format("%nIn all %.2f statements per login + launch + landing (BEGIN travels with the statement after it).%n", total));
        return b.toString();
    }

    private void track(String what) throws SQLException {
        try (Connection c = toolDb.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            st.execute("ALTER SYSTEM SET pg_stat_statements.track = '" + what + "'");
            // planning time is measured only while counting (it costs a little on every statement)
            st.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = " + (what.equals("none") ? "off" : "on"));
            st.execute("SELECT pg_reload_conf()");
        }
        try {
            Thread.sleep(300); // backends read the reloaded configuration before their next command
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reset() throws SQLException {
        try (Connection c = toolDb.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** Per normalised statement: calls, total planning ms, total execution ms. */
    private Map<String, double[]> read() throws SQLException {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (Connection c = toolDb.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT query, calls, total_plan_time, total_exec_time FROM pg_stat_statements
                     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_reload_conf%'
                     ORDER BY calls DESC, query""")) {
            while (rs.next()) {
                double[] row = {rs.getLong(2), rs.getDouble(3), rs.getDouble(4)};
                out.merge(rs.getString(1), row, (a, b) -> new double[]{a[0] + b[0], a[1] + b[1], a[2] + b[2]});
            }
        }
        return out;
    }
}
