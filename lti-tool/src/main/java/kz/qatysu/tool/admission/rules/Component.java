package kz.qatysu.tool.admission.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One graded component of the semester's rating, e.g. {@code RK1} out of 100, with the other names a portal or a
 * gradebook may use for it ({@code РК1}, {@code АБ1}).
 *
 * @param name    the canonical name, shown and stored
 * @param max     the points it counts for in the rating, whatever maximum a source grades it out of
 * @param aliases further names accepted on input (matched without regard to case)
 */
public record Component(String name, BigDecimal max, List<String> aliases) {
    public Component {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(max, "max");
        aliases = List.copyOf(aliases);
    }

    public Component withMax(BigDecimal newMax) {
        return new Component(name, newMax, aliases);
    }
}
