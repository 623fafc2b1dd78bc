package kz.qatysu.tool.admission.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kz.qatysu.tool.admission.rules.Component;
import kz.qatysu.tool.admission.rules.RatingPolicy;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The institution's rating policy the stored decisions were last computed under (table
 * {@code admission_institution_policy}, V102, one row): what start-up compares the configured {@code admission.*} with.
 * Reads and writes on the caller's handle.
 */
public final class AppliedInstitutionPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppliedInstitutionPolicy() {
    }

    /** The recorded policy; empty before the first start with V102 (or when the row cannot be read as a policy). */
    public static Optional<RatingPolicy> find(Handle h) {
        return h.createQuery("SELECT policy FROM admission_institution_policy WHERE id = 1")
                .mapTo(String.class).findOne().flatMap(AppliedInstitutionPolicy::fromJson);
    }

    public static void save(Handle h, RatingPolicy policy, Instant at) {
        h.createUpdate("""
                        INSERT INTO admission_institution_policy (id, policy, stored_at) VALUES (1, CAST(:policy AS JSONB), :at)
                        ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, stored_at = excluded.stored_at""")
                .bind("policy", toJson(policy)).bind("at", Timestamp.from(at))
                .execute();
    }

    /**
     * What decides: the threshold and each component's name and maximum, in order, numbers without trailing zeros
     * (0.50 and 0.5 are one policy). Aliases only map input names, so they are left out.
     */
    public static String decisive(RatingPolicy p) {
        return "threshold " + plain(p.threshold()) + "; " + p.components().stream()
                .map(c -> c.name() + " " + plain(c.max())).collect(Collectors.joining(", "));
    }

    static String toJson(RatingPolicy p) {
        ObjectNode root = JSON.createObjectNode();
        root.put("threshold", plain(p.threshold()));
        ArrayNode list = root.putArray("components");
        for (Component c : p.components()) {
            ObjectNode n = list.addObject().put("name", c.name()).put("max", plain(c.max()));
            c.aliases().forEach(n.putArray("aliases")::add);
        }
        return root.toString();
    }

    static Optional<RatingPolicy> fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<Component> components = new ArrayList<>();
            for (JsonNode n : root.path("components")) {
                List<String> aliases = new ArrayList<>();
                n.path("aliases").forEach(a -> aliases.add(a.asText()));
                components.add(new Component(n.path("name").asText(), new BigDecimal(n.path("max").asText()), aliases));
            }
            return Optional.of(new RatingPolicy(components, new BigDecimal(root.path("threshold").asText())));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty(); // treated as not recorded: every section is recomputed, which is always safe
        }
    }

    private static String plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }
}
