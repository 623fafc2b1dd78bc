package kz.qatysu.connectors.portal;

import java.util.Map;

/**
 * One record as a source delivered it, already keyed by canonical field name ({@link Entity#fields()}).
 *
 * @param ref    where it came from, for error messages: {@code persons.csv line 17}, {@code v_students row 3},
 *               {@code GET /api/students page 2 item 14}
 * @param defect a structural problem that makes every field suspect (e.g. a CSV line with more cells than the
 *               header), or null
 */
public record RawRecord(String ref, Map<String, String> fields, String defect) {

    public RawRecord(String ref, Map<String, String> fields) {
        this(ref, fields, null);
    }

    public String get(String field) {
        String v = fields.get(field);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
