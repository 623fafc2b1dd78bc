package kz.qatysu.tool.attendance.standing;

import kz.qatysu.tool.attendance.rules.AbsencePolicy;

/**
 * Where the absence policy of a section comes from. The seam for per-institution policies with per-course
 * overrides (DESIGN.md): a store-backed implementation reads the institution's policy and applies the course's
 * overrides with {@link AbsencePolicy#withOverrides}; after a policy edit the caller recomputes the section
 * ({@link StandingService#recomputeSection}), and transitions are recorded with cause {@code POLICY_CHANGED}.
 */
@FunctionalInterface
public interface PolicySource {

    AbsencePolicy forSection(String sectionId);

    /** Regulation 000 §2.11 for every section: the only policy until a policy store exists. */
    static PolicySource defaults() {
        AbsencePolicy policy = AbsencePolicy.defaults();
        return sectionId -> policy;
    }
}
