package kz.qatysu.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The process settings of {@code shared/integration/qatysu-api.md}: each a config key and an environment
 * variable ({@code QATYSU_HTTP_PORT}, {@code QATYSU_PUBLIC_URL}, {@code QATYSU_DATA_DIR}, {@code QATYSU_DB_URL}
 * with {@code _USER} / {@code _PASSWORD}, {@code QATYSU_ADMIN_TOKEN}).
 */
public record ProcessSettings(int httpPort, URI publicUrl, Path dataDir, DatabaseSettings db, Optional<Secret> adminToken) {

    public static final int DEFAULT_PORT = 8080;

    public static ProcessSettings read(ConfigReader r) {
        int port = r.integer("http.port", DEFAULT_PORT, 0, 65535);
        URI publicUrl = r.url("publicUrl", false)
                .map(ProcessSettings::withoutTrailingSlash)
                .orElse(URI.create("http://localhost:" + port));
        Path dataDir = r.path("dataDir", Path.of("data"));
        Optional<Secret> adminToken = r.optionalSecret("admin.token");
        adminToken.ifPresent(t -> {
            if (t.reveal().length() < 16) {
                r.problem("admin.token", "too short: at least 16 characters expected");
            }
        });
        return new ProcessSettings(port, publicUrl, dataDir.toAbsolutePath().normalize(), DatabaseSettings.read(r, "db."), adminToken);
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    @Override
    public String toString() {
        return "ProcessSettings[httpPort=" + httpPort + ", publicUrl=" + publicUrl + ", dataDir=" + dataDir
                + ", db=" + db + ", adminToken=" + adminToken.map(t -> "<masked>").orElse("<unset>") + "]";
    }
}
