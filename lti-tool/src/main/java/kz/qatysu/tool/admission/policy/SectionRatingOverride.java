package kz.qatysu.tool.admission.policy;

import kz.qatysu.tool.admission.rules.Component;
import kz.qatysu.tool.admission.rules.RatingPolicy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A section's override of the institution's rating policy: a threshold, and/or the components that count in the
 * section with their maxima (each one of the institution's components, keeping its aliases). Null = inherit.
 */
public record SectionRatingOverride(BigDecimal threshold, Map<String, BigDecimal> maxima, String by, Instant at) {
    public SectionRatingOverride {
        maxima = maxima == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(maxima));
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }

    /** The institution's policy with this override on top. */
    public RatingPolicy applyTo(RatingPolicy institution) {
        List<Component> components = institution.components();
        if (maxima != null) {
            components = new ArrayList<>();
            for (Map.Entry<String, BigDecimal> e : maxima.entrySet()) {
                Component c = institution.resolve(e.getKey())
                        .orElseThrow(() -> new IllegalArgumentException("unknown component " + e.getKey()));
                components.add(c.withMax(e.getValue()));
            }
        }
        return new RatingPolicy(components, threshold == null ? institution.threshold() : threshold);
    }
}
