package kz.qatysu.connectors.portal;

import java.util.List;

/** The five kinds of record a student portal delivers, with the canonical field names every source maps onto. */
public enum Entity {
    PERSONS("persons", List.of("id", "login", "email", "role", "status", "group", "faculty", "photo_url",
            "last_name_kk", "first_name_kk", "middle_name_kk", "last_name_ru", "first_name_ru", "middle_name_ru",
            "last_name_latin", "first_name_latin", "middle_name_latin", "adviser")),
    SECTIONS("sections", List.of("code", "discipline", "title", "term", "term_start", "term_end", "faculty",
            "teachers", "hours", "credits", "openedx_course")),
    ENROLMENTS("enrolments", List.of("section", "person", "role", "since")),
    TIMETABLE("timetable", List.of("id", "section", "start", "end", "kind", "hours", "room", "online_url", "online",
            "cameras", "group")),
    GRADES("grades", List.of("section", "person", "item", "score", "max"));

    private final String key;
    private final List<String> fields;

    Entity(String key, List<String> fields) {
        this.key = key;
        this.fields = fields;
    }

    /** The name used in configuration ({@code sync.portal.csv.files.persons}) and file names ({@code persons.csv}). */
    public String key() {
        return key;
    }

    public List<String> fields() {
        return fields;
    }
}
