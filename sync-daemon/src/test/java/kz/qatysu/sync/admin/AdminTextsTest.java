package kz.qatysu.sync.admin;

import kz.qatysu.sync.SyncSettings;
import kz.qatysu.sync.engine.Action;
import kz.qatysu.sync.engine.Drift;
import kz.qatysu.sync.engine.RunStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin pages' kk / ru / en texts: the same keys everywhere, each shown as written, every constant in words. */
class AdminTextsTest {
    private static final List<String> LANGUAGES = List.of("kk", "ru", "en");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d");
    private static final Pattern LATIN_WORD = Pattern.compile("\\b[A-Za-z]{4,}\\b");

    static Properties load(String language) throws IOException {
        Properties p = new Properties();
        try (InputStream in = AdminTextsTest.class.getResourceAsStream("/i18n/sync_admin_" + language + ".properties")) {
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
            assertThat(missing).as("keys missing from sync_admin_" + l + ".properties").isEmpty();
        }
    }

    /** A text with placeholders escapes an apostrophe as {@code ''}; a text without must not (it would show both). */
    @Test
    void apostrophes_are_escaped_exactly_where_the_text_is_formatted() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String l : LANGUAGES) {
            Properties p = load(l);
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                String text = p.getProperty(key);
                if (PLACEHOLDER.matcher(text).find()) {
                    String shown = new MessageFormat(text, Locale.forLanguageTag(l)).format(new Object[]{"X", "Y", "Z", "W", "V"});
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

    /**
     * The Kazakh and Russian texts are written in Cyrillic: a Latin word of four letters or more is one of the names
     * an administrator types (configuration keys, commands, parameters), never a sentence left in English.
     */
    @Test
    void kazakh_and_russian_texts_have_no_english_words_but_the_names_one_types() throws IOException {
        TreeSet<String> allowed = new TreeSet<>(List.of("sync", "admin", "token", "plan", "outcome", "page", "qatysu", "Qatysu",
                "JSON", "CSRF", "sign"));
        for (String l : List.of("kk", "ru")) {
            Properties p = load(l);
            List<String> english = new ArrayList<>();
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                var m = LATIN_WORD.matcher(p.getProperty(key));
                while (m.find()) {
                    if (!allowed.contains(m.group())) {
                        english.add(l + ":" + key + " → " + m.group());
                    }
                }
            }
            assertThat(english).as("English words in sync_admin_" + l).isEmpty();
        }
        assertThat(AdminTexts.KK.t("runs.title")).isEqualTo("Синхрондаудың іске қосулары");
        assertThat(AdminTexts.RU.t("runs.title")).isEqualTo("Запуски синхронизации");
    }

    @Test
    void every_status_mode_action_drift_kind_and_job_has_words_in_every_language() {
        for (AdminTexts t : AdminTexts.ALL) {
            for (RunStatus s : RunStatus.values()) {
                assertThat(t.status(s.name())).as(t.language() + " " + s).isNotEqualTo(s.name()).doesNotContain("_");
            }
            for (Action a : Action.values()) {
                assertThat(t.action(a.name())).as(t.language() + " " + a).isNotEqualTo(a.name());
            }
            for (String o : List.of("APPLIED", "FAILED", "PLANNED", "REFUSED")) {
                assertThat(t.outcome(o)).as(t.language() + " " + o).isNotEqualTo(o);
            }
            for (Drift.Kind k : Drift.Kind.values()) {
                assertThat(t.drift(k.label())).as(t.language() + " " + k).isNotEqualTo(k.label());
            }
            for (String job : SyncSettings.JOBS) {
                assertThat(t.job(job)).as(t.language() + " " + job).isNotEqualTo(job);
            }
            assertThat(t.job(SyncSettings.RECONCILE)).isNotEqualTo(SyncSettings.RECONCILE);
            assertThat(t.mode("sync")).isNotEqualTo("sync");
        }
        assertThat(AdminTexts.EN.status("NEW_ONE")).as("a status of a newer daemon, as it came").isEqualTo("NEW_ONE");
    }

    @Test
    void numbers_and_durations_are_written_as_each_language_does() {
        assertThat(AdminTexts.EN.number(12345)).isEqualTo("12,345");
        assertThat(AdminTexts.RU.number(12345).replace('\u00a0', ' ').replace('\u202f', ' ')).isEqualTo("12 345");
        assertThat(AdminTexts.KK.number(12345).replace('\u00a0', ' ').replace('\u202f', ' ')).isEqualTo("12 345");
        Instant start = Instant.parse("2026-09-02T03:00:00Z");
        assertThat(AdminTexts.EN.duration(start, start.plusMillis(2000))).isEqualTo("2.0 s");
        assertThat(AdminTexts.RU.duration(start, start.plusMillis(2500))).isEqualTo("2,5 с");
        assertThat(AdminTexts.KK.duration(start, start.plusSeconds(185))).isEqualTo("3 мин 5 с");
        assertThat(AdminTexts.KK.duration(start, null)).isEqualTo("—");
    }

    @Test
    void the_language_is_the_chosen_one_else_the_browsers_else_kazakh() {
        assertThat(AdminTexts.pick("ru", "en-US,en;q=0.9")).isSameAs(AdminTexts.RU);
        assertThat(AdminTexts.pick("xx", "ru-KZ,ru;q=0.9,en;q=0.8")).isSameAs(AdminTexts.RU);
        assertThat(AdminTexts.pick(null, "de-DE,en;q=0.5")).isSameAs(AdminTexts.EN);
        assertThat(AdminTexts.pick(null, "de-DE")).isSameAs(AdminTexts.KK);
        assertThat(AdminTexts.pick(null, null)).isSameAs(AdminTexts.KK);
        assertThat(AdminTexts.pick("kz", null)).isSameAs(AdminTexts.KK);
    }
}
