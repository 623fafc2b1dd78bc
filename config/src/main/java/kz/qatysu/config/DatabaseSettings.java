package kz.qatysu.config;

import java.util.Optional;

/**
 * Where an application's PostgreSQL is. With no {@code url}, an embedded PostgreSQL starts with its data kept
 * under the data directory, so a restart loses nothing.
 */
public record DatabaseSettings(Optional<String> url, String user, Optional<Secret> password, int maxPoolSize) {

    public boolean embedded() {
        return url.isEmpty();
    }

    /** Keys {@code db.url}, {@code db.user}, {@code db.password}, {@code db.maxPoolSize} under {@code prefix}. */
    public static DatabaseSettings read(ConfigReader r, String prefix) {
        Optional<String> url = r.optionalString(prefix + "url");
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:")) {
                r.problem(prefix + "url", "a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db) expected, was '"
                        + maskJdbcPassword(u) + "'");
            }
        });
        return new DatabaseSettings(
                url,
                r.string(prefix + "user", "postgres"),
                r.optionalSecret(prefix + "password"),
                r.integer(prefix + "maxPoolSize", 10, 1, 500));
    }

    /**
     * The URL with any {@code password=} parameter hidden (HikariCP's {@code maskPasswordInJdbcUrl}), and the password
     * of Oracle's {@code jdbc:oracle:thin:user/password@host} form (any Oracle driver type).
     */
    public static String maskJdbcPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1<masked>").replaceFirst("(?i)^(jdbc:oracle:[a-z]+:[^/@]*/)[^@]*@", "$1<masked>@");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url.map(DatabaseSettings::maskJdbcPassword).orElse("<embedded>")
                + ", user=" + user + ", password=" + password.map(p -> "<masked>").orElse("<none>")
                + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
