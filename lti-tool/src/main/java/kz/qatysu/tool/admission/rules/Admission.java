package kz.qatysu.tool.admission.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an exam gate decided for one student: every condition with its outcome, and the dean's-office override that
 * wins over them (final gate only).
 */
public record Admission(Gate gate, List<Condition> conditions, Optional<AdmissionOverride> override) {
    /** Code listed in {@link #reasons()} when the dean's office refused the admission. */
    public static final String OVERRIDE_NOT_ADMITTED = "OVERRIDE_NOT_ADMITTED";

    public enum Gate {
        /** Every control during the term (RK1, MT, RK2): attendance only. */
        IN_TERM,
        /** The final exam: attendance and rating, under the dean's-office admission override. */
        FINAL_EXAM
    }

    public Admission {
        Objects.requireNonNull(gate, "gate");
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(override, "override");
        if (gate == Gate.IN_TERM && override.isPresent()) {
            throw new IllegalArgumentException("the admission override acts on the final exam gate only");
        }
    }

    /** What the conditions say: all of them met. */
    public boolean computedAdmitted() {
        return conditions.stream().allMatch(Condition::met);
    }

    /** The decision acted on: the override when there is one, else the conditions. */
    public boolean admitted() {
        return override.map(AdmissionOverride::admits).orElse(computedAdmitted());
    }

    /** Each failed condition's code, then {@link #OVERRIDE_NOT_ADMITTED} when the override refuses. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>();
        conditions.stream().filter(c -> !c.met()).forEach(c -> out.add(c.reason()));
        if (override.isPresent() && !override.get().admits()) {
            out.add(OVERRIDE_NOT_ADMITTED);
        }
        return out;
    }

    public Optional<Condition> condition(Condition.Kind kind) {
        return conditions.stream().filter(c -> c.kind() == kind).findFirst();
    }
}
