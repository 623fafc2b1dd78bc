package kz.qatysu.tool.attendance.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.attendance.AttendanceWrites;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.input.JsonBody;
import kz.qatysu.tool.attendance.input.PathIds;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.attendance.sections.SectionRepository;
import kz.qatysu.tool.attendance.standing.StandingService;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A section's absence policy (scope admin): {@code GET /api/v1/sections/{sectionId}/policy} shows the
 * institution's policy, the section's override and the effective policy; {@code PUT} stores an override (every field
 * optional, null or absent = inherit; every bad field reported as {@code {path, problem}}, nothing stored);
 * {@code DELETE} removes it. A change recomputes the section's standing in the same transaction.
 */
public final class SectionPolicyApi {
    static final List<String> FIELDS = List.of("lockThreshold", "warningThreshold", "lateMinutesCountingAsAbsence",
            "latesPerAbsence", "denominator", "unit", "lockHours", "warningHours");

    private final AttendanceWrites writes;
    private final SectionRepository sections;
    private final StoredPolicySource policies;
    private final StandingService standing;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public SectionPolicyApi(AttendanceWrites writes, SectionRepository sections, StoredPolicySource policies,
                            StandingService standing, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.writes = writes;
        this.sections = sections;
        this.policies = policies;
        this.standing = standing;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void get(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        ctx.json(writes.jdbi().inTransaction(h -> {
            requireSection(h, sectionId);
            return view(h, sectionId, List.of());
        }));
    }

    public void put(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = JsonBody.object(ctx, json);
        ChangeSource source = new ChangeSource(caller.name(), clock.instant(), "policy of section " + sectionId);
        SectionPolicyOverride o = parse(body, source);
        ctx.json(writes.inTransaction(h -> {
            requireSection(h, sectionId);
            policies.save(h, sectionId, o);
            List<String> changed = standing.recompute(h, sectionId, null, source);
            return view(h, sectionId, changed);
        }));
    }

    public void delete(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        ChangeSource source = new ChangeSource(caller.name(), clock.instant(), "policy override of section "
                + sectionId + " removed");
        ctx.json(writes.inTransaction(h -> {
            requireSection(h, sectionId);
            if (!policies.delete(h, sectionId)) {
                throw ApiException.notFound("section '" + sectionId + "' has no policy override");
            }
            List<String> changed = standing.recompute(h, sectionId, null, source);
            return view(h, sectionId, changed);
        }));
    }

    /** The override in the body, or a 400 naming every bad field (types, ranges, and rules across fields). */
    SectionPolicyOverride parse(JsonNode body, ChangeSource source) {
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
        // ranges and cross-field rules on the effective policy; a rule broken against an inherited value is reported
        // on the field this override sets (e.g. warningThreshold above the institution's lockThreshold)
        for (AbsencePolicy.Problem p : o.applyTo(policies.institution()).problems()) {
            if (!bad.contains(p.field())) {
                problems.add(p.field(), p.problem()
                        + (body.hasNonNull(p.field()) ? "" : " (inherited from the institution's policy)"));
            }
        }
        problems.throwIfAny("invalid policy: nothing was stored");
        return o;
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
        in.problem(field, "one of " + List.of(type.getEnumConstants()).stream().map(SectionPolicyApi::wire).toList()
                + " expected, was '" + text + "'");
        return null;
    }

    private Map<String, Object> view(Handle h, String sectionId, List<String> standingChanged) {
        Optional<SectionPolicyOverride> o = policies.find(h, sectionId);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sectionId", sectionId);
        m.put("effective", policyView(policies.forSection(h, sectionId)));
        m.put("institution", policyView(policies.institution()));
        m.put("override", o.map(SectionPolicyApi::overrideView).orElse(null));
        m.put("standingChanged", standingChanged);
        return m;
    }

    static Map<String, Object> policyView(AbsencePolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lockThreshold", p.lockThreshold());
        m.put("warningThreshold", p.warningThreshold());
        m.put("lateMinutesCountingAsAbsence", p.lateMinutesCountingAsAbsence());
        m.put("latesPerAbsence", p.latesPerAbsence());
        m.put("denominator", wire(p.denominator()));
        m.put("unit", wire(p.unit()));
        m.put("lockHours", p.lockHours());
        m.put("warningHours", p.warningHours());
        return m;
    }

    static Map<String, Object> overrideView(SectionPolicyOverride o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lockThreshold", o.lockThreshold());
        m.put("warningThreshold", o.warningThreshold());
        m.put("lateMinutesCountingAsAbsence", o.lateMinutesCountingAsAbsence());
        m.put("latesPerAbsence", o.latesPerAbsence());
        m.put("denominator", o.denominator() == null ? null : wire(o.denominator()));
        m.put("unit", o.unit() == null ? null : wire(o.unit()));
        m.put("lockHours", o.lockHours());
        m.put("warningHours", o.warningHours());
        m.put("by", o.by());
        m.put("at", o.at().toString());
        return m;
    }

    private static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void requireSection(Handle h, String sectionId) {
        if (!sections.exists(h, sectionId)) {
            throw ApiException.notFound("no section '" + sectionId + "'");
        }
    }
}
