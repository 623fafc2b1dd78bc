package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import org.jdbi.v3.core.Handle;

/**
 * Where the absence policy of a section comes from. The seam for per-institution policies with per-course
 * overrides (DESIGN.md): a store-backed implementation reads the institution's policy and applies the course's
 * overrides with {@link AbsencePolicy#withOverrides}; after a policy edit the caller recomputes the section
 * ({@link StandingService#recomputeSection}), and transitions are recorded with cause {@code POLICY_CHANGED}.
 */
@FunctionalInterface
public interface PolicySource {

    AbsencePolicy forSection(String sectionId);

    /** The same on the caller's transaction (a store-backed source reads there); by default ignores the handle. */
    default AbsencePolicy forSection(Handle h, String sectionId) {
        return forSection(sectionId);
    }

    /** Regulation 000 §2.11 for every section: e.g. for tests; the tool wires {@code StoredPolicySource}. */
    static PolicySource defaults() {
        AbsencePolicy policy = AbsencePolicy.defaults();
        return sectionId -> policy;
    }
}
