package kz.qatysu.tool.admission.policy;

import kz.qatysu.config.ConfigReader;
import kz.qatysu.tool.admission.rules.Component;
import kz.qatysu.tool.admission.rules.RatingPolicy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The institution's rating policy from configuration: {@code admission.threshold} (default 0.50) and, when given,
 * {@code admission.components[i].name / .max / .aliases} replacing the default RK1, MT, RK2 (100 each). Every invalid
 * value is reported under its key at start-up, the defaults standing in meanwhile.
 */
public final class RatingConfig {
    public static final String PREFIX = "admission.";

    private RatingConfig() {
    }

    public static RatingPolicy read(ConfigReader r) {
        RatingPolicy d = RatingPolicy.defaults();
        int before = r.problems().list().size();
        BigDecimal threshold = decimal(r, PREFIX + "threshold", d.threshold());
        List<Component> components = d.components();
        int size = r.size(PREFIX + "components");
        if (size > 0) {
            components = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String p = PREFIX + "components[" + i + "].";
                Optional<String> name = r.optionalString(p + "name");
                if (name.isEmpty()) {
                    r.problem(p + "name", "required");
                }
                BigDecimal max = decimal(r, p + "max", new BigDecimal("100"));
                components.add(new Component(name.orElse("C" + i).strip(), max, r.stringList(p + "aliases")));
            }
        }
        for (RatingPolicy.Problem problem : RatingPolicy.problems(components, threshold)) {
            r.problem(PREFIX + problem.field(), problem.problem());
        }
        return r.problems().list().size() == before ? new RatingPolicy(components, threshold) : d;
    }

    private static BigDecimal decimal(ConfigReader r, String key, BigDecimal fallback) {
        Optional<String> v = r.optionalString(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return new BigDecimal(v.get().strip());
        } catch (NumberFormatException e) {
            r.problem(key, "not a number: '" + v.get() + "'");
            return fallback;
        }
    }
}
