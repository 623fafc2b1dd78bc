package kz.qatysu.tool.attendance.policy;

import com.fasterxml.jackson.databind.JsonNode;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.input.JsonBody;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.standing.StandingService;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A section's absence policy, shared by the REST API ({@link SectionPolicyApi}) and the dean's-office page: one
 * validation ({@link #parse}), and writes that store or remove the override and recompute the section's standing in
 * the same transaction.
 */
public final class SectionPolicyService {
    /** The override's fields, by their API (and form) names. */
    public static final List<String> FIELDS = List.of("lockThreshold", "warningThreshold", "lateMinutesCountingAsAbsence",
            "latesPerAbsence", "denominator", "unit", "lockHours", "warningHours");

    private final AttendanceWrites writes;
    private final SectionRepository sections;
    private final StoredPolicySource policies;
    private final StandingService standing;

    public SectionPolicyService(AttendanceWrites writes, SectionRepository sections, StoredPolicySource policies,
                                StandingService standing) {
        this.writes = writes;
        this.sections = sections;
        this.policies = policies;
        this.standing = standing;
    }

    /** The institution's policy, the section's override (if any) and the effective policy. */
    public record View(String sectionId, AbsencePolicy institution, Optional<SectionPolicyOverride> override,
                       AbsencePolicy effective, List<String> standingChanged) {
    }

    /** The section's policy; 404 when there is no such section. */
    public View view(String sectionId) {
        return writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            return view(h, sectionId, List.of());
        });
    }

    /** Stores the override and recomputes the section's standing at once. */
    public View save(String sectionId, SectionPolicyOverride o, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            policies.save(h, sectionId, o);
            return view(h, sectionId, standing.recompute(h, sectionId, null, source));
        });
    }

    /** Removes the override (back to the institution's policy) and recomputes; 404 when there was none. */
    public View reset(String sectionId, ChangeSource source) {
        return writes.inSection(sectionId, h -> {
            requireSection(h, sectionId);
            if (!policies.delete(h, sectionId)) {
                throw ApiException.notFound("section '" + sectionId + "' has no policy override");
            }
            return view(h, sectionId, standing.recompute(h, sectionId, null, source));
        });
    }

    /**
     * The override in {@code body}, or a 400 naming every bad field (types, ranges, and rules across fields, a rule
     * broken against an inherited value reported on the field this override sets). Nothing is stored here.
     */
    public SectionPolicyOverride parse(JsonNode body, ChangeSource source) {
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add(f, "unknown field (known: " + String.join(", ", FIELDS) + ")");
            }
        }
        Set<String> bad = new HashSet<>();
        int before = problems.list().size();
        BigDecimal lock = share(body, "lockThreshold", problems);
        BigDecimal warning = share(body, "warningThreshold", problems);
        Integer lateMinutes = in.integer(body, "", "lateMinutesCountingAsAbsence", null);
        Integer latesPerAbsence = in.integer(body, "", "latesPerAbsence", null);
        AbsencePolicy.Denominator denominator = choice(body, "denominator", AbsencePolicy.Denominator.class, in);
        AbsencePolicy.Unit unit = choice(body, "unit", AbsencePolicy.Unit.class, in);
        Integer lockHours = in.integer(body, "", "lockHours", null);
        Integer warningHours = in.integer(body, "", "warningHours", null);
        problems.list().subList(before, problems.list().size()).forEach(d -> bad.add(d.path()));

        SectionPolicyOverride o = new SectionPolicyOverride(lock, warning, lateMinutes, latesPerAbsence, denominator,
                unit, lockHours, warningHours, source.by(), source.at());
        for (AbsencePolicy.Problem p : o.applyTo(policies.institution()).problems()) {
            if (!bad.contains(p.field())) {
                problems.add(p.field(), p.problem()
                        + (body.hasNonNull(p.field()) ? "" : " (inherited from the institution's policy)"));
            }
        }
        problems.throwIfAny("invalid policy: nothing was stored");
        return o;
    }

    /** An enum constant as the API writes it: {@code ALL_PLANNED} → {@code all-planned}. */
    public static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private View view(Handle h, String sectionId, List<String> standingChanged) {
        return new View(sectionId, policies.institution(), policies.find(h, sectionId), policies.forSection(h, sectionId),
                standingChanged);
    }

    private static BigDecimal share(JsonNode body, String field, InputProblems problems) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            problems.add(field, "must be a number, a share like 0.30");
            return null;
        }
        return n.decimalValue();
    }

    private static <E extends Enum<E>> E choice(JsonNode body, String field, Class<E> type, JsonBody in) {
        String text = in.optionalText(body, "", field);
        if (text == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text.replace('-', '_'))) {
                return e;
            }
        }
        in.problem(field, "one of " + List.of(type.getEnumConstants()).stream().map(SectionPolicyService::wire).toList()
                + " expected, was '" + text + "'");
        return null;
    }

    private void requireSection(Handle h, String sectionId) {
        if (!sections.exists(h, sectionId)) {
            throw ApiException.notFound("no section '" + sectionId + "'");
        }
    }
}
