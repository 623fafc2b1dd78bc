package kz.qatysu.connectors.portal;

import java.util.Map;

/**
 * One record as a source delivered it, already keyed by canonical field name ({@link Entity#fields()}).
 *
 * @param ref where it came from, for error messages: {@code persons.csv line 17}, {@code v_students row 3},
 *            {@code GET /api/students page 2 item 14}
 */
public record RawRecord(String ref, Map<String, String> fields) {

    public String get(String field) {
        String v = fields.get(field);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
