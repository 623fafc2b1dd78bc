package kz.qatysu.tool.course;

import kz.qatysu.tool.web.Messages;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who saved a mark, as a teacher reads it: the {@code updated_by} of a mark ({@code ChangeSource.by}) turned into a
 * person's name ({@link PersonDirectory}) or, for a mark no person saved, what saved it — in the page's language.
 * <ul>
 *   <li>{@code lti:<person id>} (course pages, roll call, evidence): the person's name, else the id;</li>
 *   <li>{@code staff:<person id> <name>} (a signed-in staff member): the name, else the id;</li>
 *   <li>{@code web:<token name>} (the dean's office signed in with a token): "dean's office";</li>
 *   <li>{@code checkin} (self check-in), {@code excuse #n} (an approved excuse);</li>
 *   <li>anything else is an API token's name (the sync daemon carrying the portal's journal): "portal (name)".</li>
 * </ul>
 */
final class Markers {
    private Markers() {
    }

    /** The texts of {@code bys}, by {@code by}; one name look-up for all of them. */
    static Map<String, String> describe(Collection<String> bys, PersonDirectory people, Messages t) {
        List<String> personIds = bys.stream().filter(Objects::nonNull).filter(b -> b.startsWith("lti:"))
                .map(b -> b.substring("lti:".length())).distinct().toList();
        Map<String, String> names = personIds.isEmpty() ? Map.of() : people.names(personIds);
        Map<String, String> out = new HashMap<>();
        for (String by : bys) {
            if (by != null) {
                out.put(by, describe(by, names, t));
            }
        }
        return out;
    }

    /** One {@code by}, given the names of the {@code lti:} persons. */
    static String describe(String by, Map<String, String> names, Messages t) {
        if (by.startsWith("lti:")) {
            String id = by.substring("lti:".length());
            return names.getOrDefault(id, id);
        }
        if (by.startsWith("staff:")) {
            String rest = by.substring("staff:".length()).strip();
            int space = rest.indexOf(' ');
            return space < 0 ? rest : rest.substring(space + 1).strip();
        }
        if (by.startsWith("web:")) {
            return t.t("course.markedBy.deansOffice");
        }
        if (by.equals("checkin")) {
            return t.t("course.markedBy.checkin");
        }
        if (by.startsWith("excuse #")) {
            return t.t("course.markedBy.excuse", by.substring("excuse #".length()));
        }
        return t.t("course.markedBy.portal", by);
    }
}
