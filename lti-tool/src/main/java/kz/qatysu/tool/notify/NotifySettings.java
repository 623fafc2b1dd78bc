package kz.qatysu.tool.notify;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.config.Secret;
import kz.qatysu.tool.moodle.MoodleSettings;
import kz.qatysu.tool.moodle.MoodleSite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Warnings by Moodle message and e-mail ({@code notify.*}). Each channel is off unless configured: SMTP when
 * {@code notify.smtp.host} is set, Moodle for each shared {@code moodle[i]} entry ({@link MoodleSettings}; the old
 * {@code notify.moodle[i]} is its deprecated alias). Secrets (the SMTP password, the
 * Moodle tokens) are {@link Secret}s: {@link #toString()} never shows them.
 *
 * @param teachers    also notify the section's teachers ({@code notify.teachers}, default false)
 * @param advisers    also notify the student's adviser, as the portal names them ({@code notify.advisers}, default true:
 *                    nothing is sent until the sync daemon brings adviser links, and an institution whose portal
 *                    exports them wants the adviser told)
 * @param lockLifted  also notify when a lock is lifted, LOCKED → OK or WARNING ({@code notify.lockLifted}, default true)
 * @param maxAge      transitions older than this when first seen are not sent ({@code notify.maxAge}, default 3d)
 * @param maxAttempts a failing notification is given up after this many attempts ({@code notify.maxAttempts}, default 8)
 * @param interval    how often the worker looks for transitions and due notifications ({@code notify.interval}, 30s)
 * @param smtp        the SMTP server, empty = no e-mail
 * @param moodle      the Moodle sites, by LTI platform issuer; empty = no Moodle messages
 */
public record NotifySettings(boolean teachers, boolean advisers, boolean lockLifted, Duration maxAge, int maxAttempts, Duration interval,
                             Optional<Smtp> smtp, List<MoodleSite> moodle) {

    public static final String PREFIX = "notify.";

    /** How the SMTP connection is secured. */
    public enum Security { STARTTLS, SSL, NONE }

    /**
     * @param username empty = no authentication
     * @param from     the sender address, e.g. {@code "Qatysu <qatysu@university.kz>"}
     */
    public record Smtp(String host, int port, Security security, Optional<String> username, Optional<Secret> password,
                       String from, Duration connectTimeout, Duration timeout) {
        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", security=" + security + ", username="
                    + username.orElse("<none>") + ", password=" + password.map(p -> "<masked>").orElse("<none>")
                    + ", from=" + from + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout + "]";
        }
    }

    /** Nothing configured: no channel, nothing is queued. */
    public static NotifySettings off() {
        return new NotifySettings(false, true, true, Duration.ofDays(3), 8, Duration.ofSeconds(30), Optional.empty(), List.of());
    }

    public boolean anyChannel() {
        return smtp.isPresent() || !moodle.isEmpty();
    }

    /** The channels notifications are queued for: {@code email}, {@code moodle}. */
    public List<String> channels() {
        List<String> out = new ArrayList<>();
        smtp.ifPresent(s -> out.add(Channel.EMAIL));
        if (!moodle.isEmpty()) {
            out.add(Channel.MOODLE);
        }
        return out;
    }

    /** Reads {@code notify.*} with the shared Moodle configuration ({@code moodle[i]}, or its alias {@code notify.moodle[i]}). */
    public static NotifySettings read(ConfigReader r) {
        return read(r, MoodleSettings.read(r).sites());
    }

    /** Reads {@code notify.*}; Moodle messages go to the shared Moodle sites ({@link MoodleSettings}). */
    public static NotifySettings read(ConfigReader r, List<MoodleSite> moodle) {
        String p = PREFIX;
        boolean teachers = r.bool(p + "teachers", false);
        boolean advisers = r.bool(p + "advisers", true);
        boolean lifted = r.bool(p + "lockLifted", true);
        Duration maxAge = r.duration(p + "maxAge", Duration.ofDays(3));
        if (maxAge.isNegative() || maxAge.isZero()) {
            r.problem(p + "maxAge", "must be positive, was " + maxAge);
        }
        int maxAttempts = r.integer(p + "maxAttempts", 8, 1, 100);
        Duration interval = r.duration(p + "interval", Duration.ofSeconds(30));
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            r.problem(p + "interval", "between 1s and 1h expected, was " + interval);
        }
        return new NotifySettings(teachers, advisers, lifted, maxAge, maxAttempts, interval, smtp(r), moodle);
    }

    private static Optional<Smtp> smtp(ConfigReader r) {
        String p = PREFIX + "smtp.";
        Optional<String> host = r.optionalString(p + "host");
        Optional<String> from = r.optionalString(p + "from");
        Optional<String> username = r.optionalString(p + "username");
        Optional<Secret> password = r.optionalSecret(p + "password");
        if (host.isEmpty()) {
            if (from.isPresent() || username.isPresent() || password.isPresent()) {
                r.problem(p + "host", "required when any notify.smtp.* key is set (the SMTP server's name)");
            }
            return Optional.empty();
        }
        if (from.isEmpty()) {
            r.problem(p + "from", "required when notify.smtp.host is set (the sender address, e.g. qatysu@university.kz)");
        } else if (!from.get().contains("@")) {
            r.problem(p + "from", "not an e-mail address: '" + from.get() + "'");
        }
        if (password.isPresent() && username.isEmpty()) {
            r.problem(p + "username", "required when notify.smtp.password is set");
        }
        Security security = r.enumValue(p + "security", Security.class, Security.STARTTLS);
        int port = r.integer(p + "port", security == Security.SSL ? 465 : 587, 1, 65535);
        return Optional.of(new Smtp(host.get(), port, security, username, password, from.orElse(""),
                r.duration(p + "connectTimeout", Duration.ofSeconds(10)), r.duration(p + "timeout", Duration.ofSeconds(20))));
    }

    @Override
    public String toString() {
        return "NotifySettings[teachers=" + teachers + ", advisers=" + advisers + ", lockLifted=" + lockLifted + ", maxAge=" + maxAge
                + ", maxAttempts=" + maxAttempts + ", interval=" + interval + ", smtp=" + smtp.map(Smtp::toString).orElse("<off>")
                + ", moodle=" + moodle + "]";
    }
}
