package kz.qatysu.sync.admin;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;

import java.util.Optional;

/**
 * {@code sync.admin.token} ({@code QATYSU_SYNC_ADMIN_TOKEN} or {@code _FILE}): the secret that opens the daemon's
 * administrator pages. Unset = no admin pages (they answer 404). Kept as a {@link Secret}, so it is masked wherever
 * the settings are printed.
 */
public final class AdminToken {
    public static final String KEY = "sync.admin.token";
    /** Shortest accepted token: 32 characters (e.g. {@code openssl rand -hex 32} gives 64). */
    public static final int MIN_LENGTH = 32;

    private AdminToken() {
    }

    /** Reads and validates the key; every problem names it. */
    public static Optional<Secret> read(ConfigReader r) {
        Optional<Secret> token = r.optionalSecret(KEY);
        if (token.isEmpty()) {
            return token;
        }
        String value = token.get().reveal();
        if (value.isBlank()) {
            return Optional.empty();
        }
        if (value.length() < MIN_LENGTH || !value.strip().equals(value)) {
            r.problem(KEY, "at least " + MIN_LENGTH + " characters without spaces around expected, was " + value.length()
                    + " characters (e.g. openssl rand -hex 32)");
            return Optional.empty();
        }
        String port = r.optionalString("sync.metrics.port").orElse("0").strip();
        if (port.equals("0")) {
            r.problem(KEY, "the admin pages are served by the daemon's HTTP endpoint: set sync.metrics.port as well");
        }
        return token;
    }
}
