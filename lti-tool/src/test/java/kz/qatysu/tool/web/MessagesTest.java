package kz.qatysu.tool.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The kk / ru / en texts: the same keys everywhere, and each text shown as written. */
class MessagesTest {
    private static final List<String> LANGUAGES = List.of("kk", "ru", "en");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d");

    static Properties load(String language) throws IOException {
        Properties p = new Properties();
        try (InputStream in = MessagesTest.class.getResourceAsStream("/i18n/messages_" + language + ".properties")) {
            assertThat(in).as(language).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void every_language_has_every_key() throws IOException {
        TreeSet<String> all = new TreeSet<>();
        for (String l : LANGUAGES) {
            all.addAll(load(l).stringPropertyNames());
        }
        for (String l : LANGUAGES) {
            TreeSet<String> missing = new TreeSet<>(all);
            missing.removeAll(load(l).stringPropertyNames());
            assertThat(missing).as("keys missing from messages_" + l + ".properties").isEmpty();
        }
    }

    /**
     * {@link Messages#t} formats a text with {@code MessageFormat} only when it is given arguments, so a text with
     * placeholders must escape an apostrophe as {@code ''} and a text without must not (it would show both).
     */
    @Test
    void apostrophes_are_escaped_exactly_where_the_text_is_formatted() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String l : LANGUAGES) {
            Properties p = load(l);
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                String text = p.getProperty(key);
                if (PLACEHOLDER.matcher(text).find()) {
                    String shown = new MessageFormat(text, Locale.forLanguageTag(l)).format(new Object[]{"X", "Y", "Z", "W"});
                    if (text.replace("''", "").contains("'")) {
                        wrong.add(l + ":" + key + " has a lone apostrophe, which MessageFormat swallows: " + shown);
                    }
                } else if (text.contains("''")) {
                    wrong.add(l + ":" + key + " has no placeholder, so '' is shown as two apostrophes");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void a_text_is_shown_as_written_with_and_without_arguments() {
        assertThat(Messages.EN.t("course.override")).doesNotContain("''");
        assertThat(Messages.EN.t("deans.policy.error.inherited", "0.30")).contains("institution's value 0.30");
    }
}
