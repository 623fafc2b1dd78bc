package kz.qatysu.tool.web;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The UI text in one of the product's languages (Kazakh, Russian, English). Bundles are
 * {@code i18n/messages_<lang>.properties}, read as UTF-8.
 */
public final class Messages {
    public static final Messages KK = new Messages("kk");
    public static final Messages RU = new Messages("ru");
    public static final Messages EN = new Messages("en");

    /** Kazakhstan's time (UTC+5), the default of {@code ui.timeZone}. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Almaty");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");
    private static volatile ZoneId zone = DEFAULT_ZONE;

    private final String language;
    private final ResourceBundle bundle;

    private Messages(String language) {
        this.language = language;
        this.bundle = ResourceBundle.getBundle("i18n.messages", Locale.forLanguageTag(language),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The language code used in {@code <html lang>} and stored on sessions: kk, ru or en. */
    public String language() {
        return language;
    }

    public String t(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.forLanguageTag(language)).format(args);
    }

    /** A session kind's name ({@code course.kind.<kind>}); a kind the portal made up is shown as it came. */
    public String kind(String kind) {
        if (kind == null) {
            return "";
        }
        String key = "course.kind." + kind;
        return bundle.containsKey(key) ? bundle.getString(key) : kind;
    }

    /**
     * Picks the language for a locale as platforms send it: Moodle's own codes ({@code kk}, {@code ru},
     * {@code en}, {@code pt_br}), BCP 47 tags ({@code ru-KZ}) or an Accept-Language header. Anything else
     * falls back to {@code fallback}.
     */
    public static Messages forLocale(String raw, Messages fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        for (String part : raw.split(",")) {
            String tag = part.split(";")[0].trim().toLowerCase(Locale.ROOT).replace('_', '-');
            String lang = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
            switch (lang) {
                case "kk", "kz" -> { return KK; }
                case "ru" -> { return RU; }
                case "en" -> { return EN; }
                default -> { }
            }
        }
        return fallback;
    }

    /**
     * The institution's time zone ({@code ui.timeZone}), set once by the tool's wiring at start-up: every page shows
     * times in it. One tool per process, so one zone per process.
     */
    public static void showTimesIn(ZoneId institutionZone) {
        zone = Objects.requireNonNull(institutionZone, "institutionZone");
    }

    public static ZoneId zone() {
        return zone;
    }

    /** A moment as people here read it: {@code 02.09.2026 13:05} in the institution's time zone; "" for null. */
    public String dateTime(Instant at) {
        return formatDateTime(at);
    }

    /** {@link #dateTime(Instant)} for code without a language at hand (the format is the same in kk, ru and en). */
    public static String formatDateTime(Instant at) {
        return at == null ? "" : DATE_TIME.format(at.atZone(zone));
    }

    /** A day as people here read it: {@code 02.09.2026}; "" for null. */
    public String date(LocalDate day) {
        return day == null ? "" : DATE.format(day);
    }

    public static Messages of(String language) {
        return forLocale(language, EN);
    }
}
