package kz.qatysu.tool.web;

import java.text.MessageFormat;
import java.util.Locale;
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

    public static Messages of(String language) {
        return forLocale(language, EN);
    }
}
