package kz.qatysu.tool.attendance.evidence;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Online attendance evidence configuration ({@code videoconf.*}), validated at start-up; every problem names its key.
 *
 * @param bbbSecret    {@code videoconf.bbb.secret}: the BBB server's shared secret ({@code securitySalt}); it signs
 *                     the analytics callback's bearer token. Empty = the callback endpoint answers 404
 * @param zoom         {@code videoconf.zoom.*}: Server-to-Server OAuth app credentials; empty = no Zoom import button
 * @param policy       {@code videoconf.evidence.minimumShare} / {@code videoconf.evidence.grace}
 * @param csvMaxBytes  {@code videoconf.evidence.csvMaxBytes}: the largest participants CSV a teacher may upload
 */
public record VideoconfSettings(Optional<Secret> bbbSecret, Optional<Zoom> zoom, EvidencePolicy policy, int csvMaxBytes) {

    public static final String PREFIX = "videoconf.";

    /**
     * @param apiUrl   {@code videoconf.zoom.apiUrl}, default {@code https://api.zoom.us/v2}
     * @param oauthUrl {@code videoconf.zoom.oauthUrl}, default {@code https://zoom.us}
     */
    public record Zoom(String accountId, String clientId, Secret clientSecret, URI apiUrl, URI oauthUrl) {
        @Override
        public String toString() {
            return "Zoom[accountId=" + accountId + ", clientId=" + clientId + ", clientSecret=<masked>, apiUrl=" + apiUrl
                    + ", oauthUrl=" + oauthUrl + "]";
        }
    }

    /** Nothing configured: CSV upload only, default policy. */
    public static VideoconfSettings none() {
        return new VideoconfSettings(Optional.empty(), Optional.empty(), EvidencePolicy.defaults(), 2 * 1024 * 1024);
    }

    public static VideoconfSettings read(ConfigReader r) {
        Optional<Secret> bbb = r.optionalSecret(PREFIX + "bbb.secret").filter(s -> !s.reveal().isBlank());
        if (bbb.isPresent() && bbb.get().reveal().length() < 16) {
            r.problem(PREFIX + "bbb.secret", "too short to be a BigBlueButton secret (securitySalt): at least 16 characters");
        }
        Optional<Zoom> zoom = Optional.empty();
        Optional<String> account = r.optionalString(PREFIX + "zoom.accountId").filter(s -> !s.isBlank());
        if (account.isPresent()) {
            String clientId = r.requiredString(PREFIX + "zoom.clientId");
            Optional<Secret> secret = r.optionalSecret(PREFIX + "zoom.clientSecret").filter(s -> !s.reveal().isBlank());
            if (secret.isEmpty()) {
                r.problem(PREFIX + "zoom.clientSecret", "required when videoconf.zoom.accountId is set");
            }
            URI api = r.url(PREFIX + "zoom.apiUrl", true).orElse(URI.create("https://api.zoom.us/v2"));
            URI oauth = r.url(PREFIX + "zoom.oauthUrl", true).orElse(URI.create("https://zoom.us"));
            if (clientId != null && secret.isPresent()) {
                zoom = Optional.of(new Zoom(account.get(), clientId, secret.get(), api, oauth));
            }
        } else if (r.optionalString(PREFIX + "zoom.clientId").isPresent()) {
            r.problem(PREFIX + "zoom.accountId", "required when videoconf.zoom.clientId is set (Server-to-Server OAuth)");
        }
        EvidencePolicy d = EvidencePolicy.defaults();
        BigDecimal share = d.minimumShare();
        Optional<String> rawShare = r.optionalString(PREFIX + "evidence.minimumShare");
        if (rawShare.isPresent()) {
            try {
                BigDecimal v = new BigDecimal(rawShare.get());
                if (v.signum() <= 0 || v.compareTo(BigDecimal.ONE) > 0) {
                    r.problem(PREFIX + "evidence.minimumShare", "must be a share in (0, 1] (0.5 = 50 %), was " + rawShare.get());
                } else {
                    share = v;
                }
            } catch (NumberFormatException e) {
                r.problem(PREFIX + "evidence.minimumShare", "not a number: '" + rawShare.get() + "'");
            }
        }
        Duration grace = r.duration(PREFIX + "evidence.grace", d.grace());
        if (grace.isNegative() || grace.compareTo(Duration.ofHours(2)) > 0) {
            r.problem(PREFIX + "evidence.grace", "must be between 0 and 2h, was " + grace);
            grace = d.grace();
        }
        int csvMax = r.integer(PREFIX + "evidence.csvMaxBytes", 2 * 1024 * 1024, 1024, 50 * 1024 * 1024);
        return new VideoconfSettings(bbb, zoom, new EvidencePolicy(share, grace), csvMax);
    }
}
