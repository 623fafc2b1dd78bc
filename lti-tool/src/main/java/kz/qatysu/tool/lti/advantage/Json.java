package kz.qatysu.tool.lti.advantage;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Lenient reading of the services' JSON: platforms send numbers as strings, "" for absent, offsets or none. */
final class Json {
    /** ISO-8601 with milliseconds in UTC, as the AGS score and line item examples show it. */
    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** The field as text; null when absent, null or "". */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.valueOf(v.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static List<String> texts(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = node.get(field);
        if (v != null && v.isArray()) {
            v.forEach(e -> {
                if (e.isTextual() && !e.asText().isBlank()) {
                    out.add(e.asText());
                }
            });
        }
        return out;
    }

    /** An ISO-8601 date-time with or without offset (no offset = UTC); null when absent or unreadable. */
    static Instant instant(JsonNode node, String field) {
        String s = text(node, field);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
