package kz.qatysu.tool.admission.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import kz.qatysu.tool.admission.rules.RatingPolicy;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The institution's rating policy (configuration {@code admission.*}) with the section's stored override (table
 * {@code section_rating_policy}, V100) on top. Reads on the caller's handle, so a recompute sees an override written
 * in the same transaction.
 */
public final class StoredRatingPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RatingPolicy institution;

    public StoredRatingPolicy(RatingPolicy institution) {
        this.institution = Objects.requireNonNull(institution, "institution");
    }

    public RatingPolicy institution() {
        return institution;
    }

    /**
     * The section's effective policy. A stored override that no longer applies (the institution's components changed
     * under it) falls back to the institution's policy rather than breaking every write of the section.
     */
    public RatingPolicy forSection(Handle h, String sectionId) {
        return find(h, sectionId).map(this::effective).orElse(institution);
    }

    public RatingPolicy effective(SectionRatingOverride o) {
        return effective(o, institution);
    }

    /** The override on top of {@code institution}; the institution's policy when the override no longer applies. */
    public static RatingPolicy effective(SectionRatingOverride o, RatingPolicy institution) {
        try {
            return o.applyTo(institution);
        } catch (IllegalArgumentException e) {
            return institution;
        }
    }

    public Optional<SectionRatingOverride> find(Handle h, String sectionId) {
        return h.createQuery("SELECT threshold, components, updated_by, updated_at FROM section_rating_policy WHERE section_id = :s")
                .bind("s", sectionId)
                .map((rs, ctx) -> {
                    BigDecimal t = rs.getBigDecimal("threshold");
                    return new SectionRatingOverride(t == null ? null : t.stripTrailingZeros(),
                            maxima(rs.getString("components")), rs.getString("updated_by"),
                            rs.getTimestamp("updated_at").toInstant());
                })
                .findOne();
    }

    public void save(Handle h, String sectionId, SectionRatingOverride o) {
        h.createUpdate("""
                        INSERT INTO section_rating_policy (section_id, threshold, components, updated_by, updated_at)
                        VALUES (:s, :threshold, CAST(:components AS JSONB), :by, :at)
                        ON CONFLICT (section_id) DO UPDATE SET threshold = excluded.threshold,
                            components = excluded.components, updated_by = excluded.updated_by,
                            updated_at = excluded.updated_at""")
                .bind("s", sectionId).bind("threshold", o.threshold()).bind("components", json(o.maxima()))
                .bind("by", o.by()).bind("at", Timestamp.from(o.at()))
                .execute();
    }

    /** @return false when the section had no override */
    public boolean delete(Handle h, String sectionId) {
        return h.createUpdate("DELETE FROM section_rating_policy WHERE section_id = :s").bind("s", sectionId).execute() > 0;
    }

    private static String json(Map<String, BigDecimal> maxima) {
        if (maxima == null) {
            return null;
        }
        ArrayNode list = JSON.createArrayNode();
        maxima.forEach((name, max) -> list.addObject().put("component", name).put("max", max));
        return list.toString();
    }

    private static Map<String, BigDecimal> maxima(String json) {
        if (json == null) {
            return null;
        }
        try {
            Map<String, BigDecimal> out = new LinkedHashMap<>();
            for (JsonNode n : JSON.readTree(json)) {
                out.put(n.path("component").asText(), new BigDecimal(n.path("max").asText()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("section_rating_policy.components is not JSON", e);
        }
    }
}
