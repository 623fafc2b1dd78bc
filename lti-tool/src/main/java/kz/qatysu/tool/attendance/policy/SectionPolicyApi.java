package kz.qatysu.tool.attendance.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.input.JsonBody;
import kz.qatysu.tool.attendance.input.PathIds;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A section's absence policy (scope admin): {@code GET /api/v1/sections/{sectionId}/policy} shows the
 * institution's policy, the section's override and the effective policy; {@code PUT} stores an override (every field
 * optional, null or absent = inherit; every bad field reported as {@code {path, problem}}, nothing stored);
 * {@code DELETE} removes it. A change recomputes the section's standing in the same transaction
 * ({@link SectionPolicyService}, which the dean's-office page shares).
 */
public final class SectionPolicyApi {
    private final SectionPolicyService service;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public SectionPolicyApi(SectionPolicyService service, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void get(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        ctx.json(view(service.view(PathIds.sectionId(ctx))));
    }

    public void put(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = JsonBody.object(ctx, json);
        ChangeSource source = new ChangeSource(caller.name(), clock.instant(), "policy of section " + sectionId);
        SectionPolicyOverride o = service.parse(body, source);
        ctx.json(view(service.save(sectionId, o, source)));
    }

    public void delete(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        ChangeSource source = new ChangeSource(caller.name(), clock.instant(), "policy override of section "
                + sectionId + " removed");
        ctx.json(view(service.reset(sectionId, source)));
    }

    private static Map<String, Object> view(SectionPolicyService.View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sectionId", v.sectionId());
        m.put("effective", policyView(v.effective()));
        m.put("institution", policyView(v.institution()));
        m.put("override", v.override().map(SectionPolicyApi::overrideView).orElse(null));
        m.put("standingChanged", v.standingChanged());
        return m;
    }

    static Map<String, Object> policyView(AbsencePolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lockThreshold", p.lockThreshold());
        m.put("warningThreshold", p.warningThreshold());
        m.put("lateMinutesCountingAsAbsence", p.lateMinutesCountingAsAbsence());
        m.put("latesPerAbsence", p.latesPerAbsence());
        m.put("denominator", SectionPolicyService.wire(p.denominator()));
        m.put("unit", SectionPolicyService.wire(p.unit()));
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
        m.put("denominator", o.denominator() == null ? null : SectionPolicyService.wire(o.denominator()));
        m.put("unit", o.unit() == null ? null : SectionPolicyService.wire(o.unit()));
        m.put("lockHours", o.lockHours());
        m.put("warningHours", o.warningHours());
        m.put("by", o.by());
        m.put("at", o.at().toString());
        return m;
    }
}
