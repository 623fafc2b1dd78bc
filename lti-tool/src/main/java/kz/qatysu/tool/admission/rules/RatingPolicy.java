package kz.qatysu.tool.admission.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rating rule's parameters (seed 003 §3.10, §3.12; 001 §31): the components that make up the semester's points,
 * each with its maximum, and the share of the total that admits to the exam. By default RK1 + MT + RK2, 100 each,
 * at least 50 %. The institution's come from configuration ({@code admission.*}); a section may override them.
 */
public record RatingPolicy(List<Component> components, BigDecimal threshold) {
    public static final BigDecimal DEFAULT_THRESHOLD = new BigDecimal("0.50");
    private static final BigDecimal HUNDRED = new BigDecimal("100");

    public RatingPolicy {
        components = List.copyOf(components);
        Objects.requireNonNull(threshold, "threshold");
        List<Problem> problems = problems(components, threshold);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).field() + ": " + problems.get(0).problem());
        }
    }

    /** RK1, MT, RK2 out of 100 each (aliases РК1, АБ1; MIDTERM, МТ; РК2, АБ2), threshold 0.50. */
    public static RatingPolicy defaults() {
        return new RatingPolicy(List.of(
                new Component("RK1", HUNDRED, List.of("РК1", "АБ1")),
                new Component("MT", HUNDRED, List.of("MIDTERM", "МТ")),
                new Component("RK2", HUNDRED, List.of("РК2", "АБ2"))), DEFAULT_THRESHOLD);
    }

    /** A problem with one field of a policy, for a configuration key or an API path. */
    public record Problem(String field, String problem) {
    }

    /** Every reason these parameters do not make a policy; empty when they do. */
    public static List<Problem> problems(List<Component> components, BigDecimal threshold) {
        List<Problem> out = new ArrayList<>();
        if (threshold == null || threshold.signum() <= 0 || threshold.compareTo(BigDecimal.ONE) > 0) {
            out.add(new Problem("threshold", "must be a share in (0, 1] (0.50 = 50 %), was " + threshold));
        }
        if (components == null || components.isEmpty()) {
            out.add(new Problem("components", "at least one component is required"));
            return out;
        }
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            String path = "components[" + i + "]";
            if (c.name().isBlank()) {
                out.add(new Problem(path + ".name", "required"));
            }
            if (c.max().signum() <= 0) {
                out.add(new Problem(path + ".max", "must be more than 0, was " + c.max().toPlainString()));
            }
            List<String> all = new ArrayList<>(c.aliases());
            all.add(0, c.name());
            for (String n : all) {
                String earlier = names.putIfAbsent(key(n), c.name());
                if (earlier != null && !n.isBlank()) {
                    out.add(new Problem(path, "the name '" + n + "' is already used by component " + earlier));
                }
            }
        }
        return out;
    }

    /** The component named {@code nameOrAlias}, compared without regard to case. */
    public Optional<Component> resolve(String nameOrAlias) {
        if (nameOrAlias == null) {
            return Optional.empty();
        }
        String k = key(nameOrAlias);
        return components.stream()
                .filter(c -> key(c.name()).equals(k) || c.aliases().stream().anyMatch(a -> key(a).equals(k)))
                .findFirst();
    }

    /** Σ of the components' maxima: 300 by default. */
    public BigDecimal maxTotal() {
        return components.stream().map(Component::max).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The names accepted on input, for error messages. */
    public String accepted() {
        List<String> out = new ArrayList<>();
        for (Component c : components) {
            out.add(c.name());
            out.addAll(c.aliases());
        }
        return String.join(", ", out);
    }

    public RatingPolicy withThreshold(BigDecimal t) {
        return new RatingPolicy(components, t);
    }

    private static String key(String name) {
        return name.strip().toUpperCase(Locale.ROOT);
    }
}
