package kz.qatysu.tool.reports;

import kz.qatysu.tool.course.PersonDirectory;
import kz.qatysu.tool.web.Messages;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * People's names for reports and the dean's-office pages, from the one name store ({@link PersonDirectory}): the
 * portal's names the sync daemon sends with the rosters, else what launches and NRPS rosters taught.
 */
public final class PersonNames {
    private final PersonDirectory directory;

    public PersonNames(PersonDirectory directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The known names of {@code personIds}; ids without a name are absent. */
    public Map<String, String> of(Collection<String> personIds) {
        return directory.names(personIds);
    }

    /** One person's name, "" when unknown. */
    public String of(String personId) {
        return directory.name(personId).orElse("");
    }

    /** {@code rows} in the list order of their people (see {@link #sorted}). */
    public <T> List<T> sortedRows(List<T> rows, java.util.function.Function<T, String> personId, Messages t) {
        Map<String, Integer> position = new java.util.HashMap<>();
        List<String> order = sorted(rows.stream().map(personId).distinct().toList(), t);
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        return rows.stream().sorted(java.util.Comparator.comparing((T r) -> position.get(personId.apply(r)))).toList();
    }

    /** {@code personIds} in list order (family name, given name, patronymic) for a page in {@code t}'s language. */
    public List<String> sorted(Collection<String> personIds, Messages t) {
        return directory.sorted(personIds, Locale.forLanguageTag(t.language()));
    }
}
