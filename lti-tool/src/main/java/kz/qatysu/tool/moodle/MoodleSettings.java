package kz.qatysu.tool.moodle;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Moodle sites the tool calls through web services ({@code moodle[i].issuer}, {@code .url}, {@code .token}): one
 * entry per LTI platform that is a Moodle, shared by the warnings' Moodle messages and the quiz gate.
 * {@code notify.moodle[i]} (before the quiz gate the only Moodle configuration) is still read as a deprecated alias,
 * with a start-up warning; setting both is a problem naming {@code notify.moodle}.
 *
 * @param sites    the configured Moodles; empty = none
 * @param warnings what start-up logs as a warning (the deprecated alias in use)
 */
public record MoodleSettings(List<MoodleSite> sites, List<String> warnings) {
    public static final String PREFIX = "moodle";
    public static final String DEPRECATED_PREFIX = "notify.moodle";

    public static MoodleSettings none() {
        return new MoodleSettings(List.of(), List.of());
    }

    public Optional<MoodleSite> forIssuer(String issuer) {
        return sites.stream().filter(s -> s.issuer().equals(issuer)).findFirst();
    }

    public static MoodleSettings read(ConfigReader r) {
        int shared = r.size(PREFIX);
        int alias = r.size(DEPRECATED_PREFIX);
        if (shared > 0 && alias > 0) {
            r.problem(DEPRECATED_PREFIX, "the deprecated alias of moodle[i]: set only moodle[i].issuer/url/token "
                    + "(one configuration for the warnings and the quiz gate)");
            return new MoodleSettings(entries(r, PREFIX, shared), List.of());
        }
        if (alias > 0) {
            return new MoodleSettings(entries(r, DEPRECATED_PREFIX, alias), List.of(DEPRECATED_PREFIX
                    + "[i] is deprecated: rename it to moodle[i] (QATYSU_NOTIFY_MOODLE_0_* → QATYSU_MOODLE_0_*); "
                    + "it is read as moodle[i] until then"));
        }
        return new MoodleSettings(entries(r, PREFIX, shared), List.of());
    }

    private static List<MoodleSite> entries(ConfigReader r, String prefix, int n) {
        List<MoodleSite> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = prefix + "[" + i + "].";
            Optional<String> issuer = r.optionalString(p + "issuer");
            if (issuer.isEmpty()) {
                r.problem(p + "issuer", "required (the LTI platform issuer of this Moodle, e.g. https://moodle.university.kz)");
            }
            Optional<URI> url = Optional.empty();
            if (r.optionalString(p + "url").isEmpty()) {
                r.problem(p + "url", "required (the Moodle base URL, e.g. https://moodle.university.kz)");
            } else {
                url = r.url(p + "url", true);
            }
            Optional<Secret> token = r.optionalSecret(p + "token");
            if (token.isEmpty()) {
                r.problem(p + "token", "required (a web service token; docs/PROCTORING.md and docs/WARNINGS.md list its functions)");
            }
            if (issuer.isPresent() && out.stream().anyMatch(s -> s.issuer().equals(issuer.get()))) {
                r.problem(p + "issuer", "another entry already answers for " + issuer.get());
            } else if (issuer.isPresent() && url.isPresent() && token.isPresent()) {
                out.add(new MoodleSite(issuer.get(), url.get(), token.get()));
            }
        }
        return List.copyOf(out);
    }
}
