package kz.qatysu.sync.admin;

import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The admin pages' texts in Kazakh, Russian or English ({@code i18n/sync_admin_<lang>.properties}, UTF-8), with the
 * numbers, statuses, modes, actions and job names as people read them. Pure.
 */
public final class AdminTexts {
    public static final AdminTexts KK = new AdminTexts("kk");
    public static final AdminTexts RU = new AdminTexts("ru");
    public static final AdminTexts EN = new AdminTexts("en");
    public static final List<AdminTexts> ALL = List.of(KK, RU, EN);

    private final String language;
    private final Locale locale;
    private final ResourceBundle bundle;

    private AdminTexts(String language) {
        this.language = language;
        this.locale = Locale.forLanguageTag(language);
        this.bundle = ResourceBundle.getBundle("i18n.sync_admin", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** kk, ru or en: {@code <html lang>} and the language cookie. */
    public String language() {
        return language;
    }

    /**
     * The text under {@code key}; with arguments it is a {@link MessageFormat} pattern (numbers among the arguments
     * are grouped as the language does). A missing key shows as itself.
     */
    public String t(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** A text for a value the daemon writes in its history ({@code prefix.value}); an unknown value as it came. */
    private String label(String prefix, String value) {
        if (value == null) {
            return "";
        }
        String key = prefix + "." + value;
        return bundle.containsKey(key) ? bundle.getString(key) : value;
    }

    /** A run's outcome ({@code SUCCEEDED}, {@code DRY_RUN} …) in words. */
    public String status(String status) {
        return label("status", status);
    }

    /** {@code sync} or {@code reconcile} in words. */
    public String mode(String mode) {
        return label("mode", mode);
    }

    /** A planned change's action ({@code CREATE} …) in words. */
    public String action(String action) {
        return label("action", action);
    }

    /** A change's outcome ({@code APPLIED}, {@code FAILED}, {@code PLANNED}, {@code REFUSED}) in words. */
    public String outcome(String outcome) {
        return label("outcome", outcome);
    }

    /** A drift kind ({@code missing}, {@code suspended}, {@code active}) in words. */
    public String drift(String kind) {
        return label("drift", kind);
    }

    /** A job's name in words ({@code accounts} → "Accounts"); a job the daemon does not know as it came. */
    public String job(String job) {
        return label("job", job);
    }

    public String yesNo(boolean yes) {
        return t(yes ? "yes" : "no");
    }

    /** A count with the language's grouping: 12 345 in kk and ru, 12,345 in en. */
    public String number(long n) {
        return NumberFormat.getIntegerInstance(locale).format(n);
    }

    /** How long a run took: "2.0 s" / "2,0 с", "3 min 5 s" / "3 мин 5 с"; "—" while unknown. */
    public String duration(Instant start, Instant end) {
        if (start == null || end == null) {
            return "—";
        }
        Duration d = Duration.between(start, end);
        long s = d.toSeconds();
        return s < 60 ? t("duration.seconds", String.format(locale, "%.1f", d.toMillis() / 1000.0))
                : t("duration.minutes", Long.toString(s / 60), Long.toString(s % 60));
    }

    /**
     * The language to speak: a supported one named by {@code chosen} (the switch or its cookie), else the first of
     * the browser's ({@code Accept-Language}, tags like {@code ru-KZ}), else Kazakh.
     */
    public static AdminTexts pick(String chosen, String acceptLanguage) {
        AdminTexts c = of(chosen);
        if (c != null) {
            return c;
        }
        if (acceptLanguage != null) {
            for (String part : acceptLanguage.split(",")) {
                String tag = part.split(";")[0].trim().toLowerCase(Locale.ROOT).replace('_', '-');
                AdminTexts a = of(tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag);
                if (a != null) {
                    return a;
                }
            }
        }
        return KK;
    }

    /** kk (or kz), ru or en; null for anything else. */
    public static AdminTexts of(String language) {
        if (language == null) {
            return null;
        }
        return switch (language.strip().toLowerCase(Locale.ROOT)) {
            case "kk", "kz" -> KK;
            case "ru" -> RU;
            case "en" -> EN;
            default -> null;
        };
    }
}
