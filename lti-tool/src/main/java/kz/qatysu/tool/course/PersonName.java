package kz.qatysu.tool.course;

import java.text.Collator;
import java.text.ParseException;
import java.text.RuleBasedCollator;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A person's name as the tool knows it. {@code display} is what pages show: for a structured name the list form
 * Kazakh and Russian registers use ({@code Family Given Patronymic}), else the name as the LMS sent it. The parts are
 * null when unknown (a launch that sent only {@code name}).
 */
public record PersonName(String display, String family, String given, String middle) {

    public PersonName {
        family = blankToNull(family);
        given = blankToNull(given);
        middle = blankToNull(middle);
        display = display == null || display.isBlank() ? listForm(family, given, middle) : display.strip();
    }

    /** A name from its parts; the display is the list form. */
    public static PersonName of(String family, String given, String middle) {
        return new PersonName(null, family, given, middle);
    }

    /** The list form {@code Family Given Middle}, skipping unknown parts ("" when none is known). */
    public static String listForm(String family, String given, String middle) {
        StringBuilder b = new StringBuilder();
        for (String part : new String[]{family, given, middle}) {
            if (part != null && !part.isBlank()) {
                b.append(b.isEmpty() ? "" : " ").append(part.strip());
            }
        }
        return b.toString();
    }

    /**
     * Person ids in list order: family name, then given name, then patronymic, compared as the page's language
     * sorts (Kazakh: Ә after А, Ғ after Г, … І after Ы; Russian and other languages: the Kazakh letters beside their
     * base letters); a
     * person without a known name comes last, by id.
     */
    public static List<String> sorted(Collection<String> personIds, Map<String, PersonName> names, Locale locale) {
        return personIds.stream().sorted(order(names, locale)).toList();
    }

    /** The comparator behind {@link #sorted}. */
    public static Comparator<String> order(Map<String, PersonName> names, Locale locale) {
        Collator c = collator(locale);
        Comparator<PersonName> byName = Comparator
                .comparing((PersonName n) -> n.family() != null ? n.family() : n.display(), c)
                .thenComparing(n -> n.given() == null ? "" : n.given(), c)
                .thenComparing(n -> n.middle() == null ? "" : n.middle(), c)
                .thenComparing(PersonName::display, c);
        return Comparator.comparing((String id) -> names.get(id), Comparator.nullsLast(byName))
                .thenComparing(Comparator.naturalOrder());
    }

    /** Kazakh letters in the Kazakh alphabet's order, tailoring the Russian rules (the JDK has no Kazakh rules). */
    private static final String KAZAKH = "& Е < ё , Ё & А < ә , Ә & Г < ғ , Ғ & К < қ , Қ & Н < ң , Ң & О < ө , Ө"
            + " & У < ұ , Ұ < ү , Ү & Х < һ , Һ & Ы < і , І";
    /** Russian lists in Kazakhstan: a Kazakh letter sorts with its base letter (a secondary difference). */
    private static final String RUSSIAN = "& А ; ә , Ә & Г ; ғ , Ғ & К ; қ , Қ & Н ; ң , Ң & О ; ө , Ө"
            + " & У ; ұ , Ұ ; ү , Ү & Х ; һ , Һ & И ; і , І";

    private static final Collator KK = tailored(KAZAKH);
    private static final Collator RU = tailored(RUSSIAN);

    /**
     * A collator for the language (a fresh copy: collators are not meant to be shared between threads). Pages in
     * other languages list the same Kazakh and Russian names, so they sort them the Russian way (Latin names sort as
     * usual under it).
     */
    static Collator collator(Locale locale) {
        String language = locale == null ? "" : locale.getLanguage();
        return (Collator) ("kk".equals(language) ? KK : RU).clone();
    }

    private static Collator tailored(String rules) {
        String base = ((RuleBasedCollator) Collator.getInstance(Locale.forLanguageTag("ru"))).getRules();
        try {
            Collator c = new RuleBasedCollator(base + rules);
            c.setStrength(Collator.TERTIARY);
            return c;
        } catch (ParseException e) {
            throw new IllegalStateException("collation rules", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
