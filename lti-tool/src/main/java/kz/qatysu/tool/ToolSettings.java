package kz.qatysu.tool;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.ProcessSettings;
import kz.qatysu.tool.lti.platforms.PlatformInput;
import kz.qatysu.tool.lti.platforms.PlatformService;
import kz.qatysu.tool.lti.keys.KeyEncryption;

import kz.qatysu.tool.attendance.rules.AbsencePolicy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the LTI tool reads from configuration, bound and validated at start-up (all problems at once).
 *
 * @param clockSkew          leeway for exp / iat (Moodle tokens live 60 s: this is for skew only)
 * @param stateLifetime      how long a login may take between initiation and launch
 * @param sessionLifetime    how long a tool session stays valid after a launch
 * @param keyRotationGrace   how long a retired tool key stays published in the JWKS
 * @param openDynamicRegistration when true, any platform may register itself without a one-time code
 * @param timeZone           the institution's time zone: pages show every time in it ({@code ui.timeZone})
 * @param uploadsMaxBytes    the largest document a student may attach to an excuse ({@code uploads.maxBytes})
 * @param excuseDecisionDays days the teacher / dean's office has to decide an excuse ({@code excuses.decisionDays})
 * @param institutionPolicy  the institution's absence policy ({@code attendance.policy.*}); sections may override it
 * @param markEditLockDays   marks of sessions that started more than this many days ago can only be changed by the
 *                           dean's office / the API with admin scope ({@code attendance.markEditLockDays}); 0 = off
 * @param warnings           warnings by Moodle message and e-mail ({@code notify.*})
 * @param videoconf          online attendance evidence: BBB callback secret, Zoom credentials, policy ({@code videoconf.*})
 * @param rating             the institution's rating rule for the final exam ({@code admission.*}); sections may override it
 * @param httpLimits         timeouts, minimum upload rate and upload caps of the HTTP server ({@code http.*})
 * @param keyEncryptionKey   encrypts the tool's private signing keys at rest ({@code lti.keyEncryptionKey}); unset = a
 *                           key generated in {@code dataDir/tool-key-encryption.key}
 * @param security           reverse proxies trusted for the client address, the check-in wrong-code cap
 * @param proctoringMedia    the proctoring media store: folder, encryption key, upload limits, retention ({@code proctoring.media.*})
 * @param faceAnalysis       the proctoring face analysis: models (sha256 checked here), thresholds, workers ({@code proctoring.*})
 * @param oidc               staff sign-in through the university's OpenID Connect provider ({@code oidc.*}); empty = off
 * @param backup             where the running tool writes backups and whether they hold the key files ({@code backup.*})
 * @param moodle             the Moodle sites' web services ({@code moodle[i].*}; alias {@code notify.moodle[i]}),
 *                           shared by the warnings and the quiz gate
 * @param proctoringResults  the verdict's score on the gradebook's "Proctoring" item ({@code proctoring.results.*})
 */
public record ToolSettings(ProcessSettings process, Duration clockSkew, Duration stateLifetime, Duration sessionLifetime,
                           Duration jwksCacheTtl, Duration jwksMinRefetch, Duration httpTimeout, Duration keyRotationGrace,
                           boolean openDynamicRegistration, String defaultLanguage, java.time.ZoneId timeZone,
                           List<PlatformInput> platforms,
                           int uploadsMaxBytes, int excuseDecisionDays, AbsencePolicy institutionPolicy,
                           int markEditLockDays, kz.qatysu.tool.notify.NotifySettings warnings,
                           kz.qatysu.tool.attendance.evidence.VideoconfSettings videoconf,
                           kz.qatysu.tool.admission.rules.RatingPolicy rating,
                           kz.qatysu.tool.web.HttpLimits httpLimits,
                           Optional<kz.qatysu.config.Secret> keyEncryptionKey,
                           Security security,
                           kz.qatysu.tool.proctoring.media.MediaSettings proctoringMedia,
                           kz.qatysu.tool.proctoring.analysis.AnalysisSettings faceAnalysis,
                           Optional<kz.qatysu.tool.staff.OidcSettings> oidc,
                           kz.qatysu.tool.backup.BackupSettings backup,
                           kz.qatysu.tool.moodle.MoodleSettings moodle,
                           kz.qatysu.tool.proctoring.results.ResultsSettings proctoringResults) {


    /**
     * @param trustedProxies      {@code http.trustedProxies}: the reverse proxies (IPs / CIDR blocks) whose
     *                            {@code X-Forwarded-For} / {@code Forwarded} is believed; empty = none (the default)
     * @param checkinMaxWrongCodes {@code checkin.maxWrongCodes}: wrong codes a student may enter per check-in before
     *                            further attempts are refused (the teacher can still mark them)
     */
    public record Security(kz.qatysu.tool.checkin.IpRanges trustedProxies, int checkinMaxWrongCodes) {
        static Security read(ConfigReader r) {
            kz.qatysu.tool.checkin.IpRanges proxies = kz.qatysu.tool.checkin.IpRanges.none();
            try {
                proxies = kz.qatysu.tool.checkin.IpRanges.parse(String.join(",", r.stringList("http.trustedProxies")));
            } catch (IllegalArgumentException e) {
                r.problem("http.trustedProxies", e.getMessage() + " (a list of IP addresses or CIDR blocks expected)");
            }
            return new Security(proxies, r.integer("checkin.maxWrongCodes", 5, 1, 100));
        }
    }

    /** Prefix of the institution policy's configuration keys. */
    public static final String POLICY = "attendance.policy.";

    public static ToolSettings read(ConfigReader r) {
        ProcessSettings process = ProcessSettings.read(r);
        Duration skew = r.duration("lti.clockSkew", Duration.ofSeconds(60));
        if (skew.toSeconds() > 300) {
            r.problem("lti.clockSkew", "at most 300s: a larger leeway would keep expired tokens alive");
        }
        String language = r.string("ui.defaultLanguage", "kk");
        if (!List.of("kk", "ru", "en").contains(language)) {
            r.problem("ui.defaultLanguage", "one of kk, ru, en expected, was '" + language + "'");
        }
        List<PlatformInput> platforms = new ArrayList<>();
        for (int i = 0; i < r.size("platforms"); i++) {
            String p = "platforms[" + i + "].";
            PlatformInput in = new PlatformInput(r.optionalString(p + "issuer").orElse(null),
                    r.optionalString(p + "clientId").orElse(null), r.string(p + "name", "Platform " + (i + 1)),
                    r.optionalString(p + "authLoginUrl").orElse(null), r.optionalString(p + "authTokenUrl").orElse(null),
                    r.optionalString(p + "keySetUrl").orElse(null), r.stringList(p + "deploymentIds"), true);
            PlatformService.validate(in).list().forEach(d -> r.problem(p + d.path(), d.problem()));
            platforms.add(in);
        }
        kz.qatysu.tool.moodle.MoodleSettings moodle = kz.qatysu.tool.moodle.MoodleSettings.read(r);
        return new ToolSettings(process, skew,
                r.duration("lti.stateLifetime", Duration.ofMinutes(10)),
                r.duration("lti.sessionLifetime", Duration.ofHours(8)),
                r.duration("lti.jwksCacheTtl", Duration.ofHours(1)),
                r.duration("lti.jwksMinRefetch", Duration.ofSeconds(5)),
                r.duration("lti.httpTimeout", Duration.ofSeconds(5)),
                r.duration("lti.keyRotationGrace", Duration.ofDays(7)),
                r.bool("lti.dynamicRegistration.open", false),
                language, timeZone(r), platforms,
                r.integer("uploads.maxBytes", 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
                r.integer("excuses.decisionDays", 7, 1, 90),
                policy(r),
                r.integer("attendance.markEditLockDays", 0, 0, 3650),
                kz.qatysu.tool.notify.NotifySettings.read(r, moodle.sites()),
                kz.qatysu.tool.attendance.evidence.VideoconfSettings.read(r),
                kz.qatysu.tool.admission.policy.RatingConfig.read(r),
                kz.qatysu.tool.web.HttpLimits.read(r),
                keyEncryptionKey(r),
                Security.read(r),
                kz.qatysu.tool.proctoring.media.MediaSettings.read(r, process.dataDir()),
                kz.qatysu.tool.proctoring.analysis.AnalysisSettings.read(r),
                kz.qatysu.tool.staff.OidcSettings.read(r),
                kz.qatysu.tool.backup.BackupSettings.read(r, process.dataDir()),
                moodle,
                kz.qatysu.tool.proctoring.results.ResultsSettings.read(r));
    }

    private static java.time.ZoneId timeZone(ConfigReader r) {
        String raw = r.string("ui.timeZone", kz.qatysu.tool.web.Messages.DEFAULT_ZONE.getId());
        try {
            return java.time.ZoneId.of(raw);
        } catch (java.time.DateTimeException e) {
            r.problem("ui.timeZone", "a time zone id such as Asia/Almaty expected, was '" + raw + "'");
            return kz.qatysu.tool.web.Messages.DEFAULT_ZONE;
        }
    }

    private static Optional<kz.qatysu.config.Secret> keyEncryptionKey(ConfigReader r) {
        Optional<kz.qatysu.config.Secret> key = r.optionalSecret(KeyEncryption.CONFIG_KEY);
        if (key.isPresent() && KeyEncryption.decode(key.get().reveal()).isEmpty()) {
            r.problem(KeyEncryption.CONFIG_KEY, KeyEncryption.PROBLEM);
        }
        return key;
    }

    /**
     * {@code attendance.policy.*} over the regulation 000 defaults; every invalid value is reported under its key,
     * including the cross-field rules (e.g. {@code attendance.policy.warningThreshold: (0.4) must not exceed ...}).
     */
    static AbsencePolicy policy(ConfigReader r) {
        AbsencePolicy d = AbsencePolicy.defaults();
        int before = r.problems().list().size();
        AbsencePolicy.Builder b = d.toBuilder()
                .lockThreshold(share(r, POLICY + "lockThreshold", d.lockThreshold()))
                .warningThreshold(share(r, POLICY + "warningThreshold", d.warningThreshold()))
                .lateMinutesCountingAsAbsence(r.integer(POLICY + "lateMinutesCountingAsAbsence",
                        d.lateMinutesCountingAsAbsence(), 0, 600))
                .latesPerAbsence(r.integer(POLICY + "latesPerAbsence", d.latesPerAbsence(), 1, 100))
                .denominator(r.enumValue(POLICY + "denominator", AbsencePolicy.Denominator.class, d.denominator()))
                .unit(r.enumValue(POLICY + "unit", AbsencePolicy.Unit.class, d.unit()))
                .lockHours(r.integer(POLICY + "lockHours", d.lockHours(), 1, 10_000))
                .warningHours(r.integer(POLICY + "warningHours", d.warningHours(), 1, 10_000));
        List<AbsencePolicy.Problem> problems = b.problems();
        if (!problems.isEmpty()) {
            problems.forEach(p -> r.problem(POLICY + p.field(), p.problem()));
            return d;
        }
        return r.problems().list().size() == before ? b.build() : d;
    }

    private static BigDecimal share(ConfigReader r, String path, BigDecimal defaultValue) {
        Optional<String> v = r.optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            BigDecimal n = new BigDecimal(v.get());
            if (n.signum() <= 0 || n.compareTo(BigDecimal.ONE) > 0) {
                r.problem(path, "must be a share in (0, 1] (0.30 = 30 %), was " + v.get());
                return defaultValue;
            }
            return n;
        } catch (NumberFormatException e) {
            r.problem(path, "not a number: '" + v.get() + "'");
            return defaultValue;
        }
    }

    /** Cookies can be Secure (and so SameSite=None; Partitioned) on https and on loopback http. */
    public boolean secureCookies() {
        return process.publicUrl().getScheme().equals("https")
                || ConfigReader.isLoopback(process.publicUrl().getHost());
    }
}
