package kz.qatysu.tool.attendance.standing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.input.OverrideBody;
import kz.qatysu.tool.attendance.input.PathIds;
import kz.qatysu.tool.attendance.rules.Standing;
import kz.qatysu.tool.attendance.rules.StandingOverride;
import kz.qatysu.tool.web.Messages;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/sections/{sectionId}/standing} (scope standing:read), the dean's-office overrides
 * {@code POST /api/v1/sections/{sectionId}/overrides} and {@code DELETE .../overrides/{personId}} (scope overrides),
 * and one student's state history {@code GET .../standing/{personId}/history} (scope standing:read). The row's
 * {@code reason} is a sentence in the institution's default language ({@code ui.defaultLanguage}); {@code reasonCode}
 * and {@code reasonArgs} carry the same explanation for any language.
 */
public final class StandingApi {
    private final StandingService service;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    private final Messages defaultMessages;

    public StandingApi(StandingService service, ApiAuth auth, ObjectMapper json, Clock clock, Messages defaultMessages) {
        this.service = service;
        this.defaultMessages = defaultMessages;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void standing(Context ctx) {
        auth.require(ctx, Scope.STANDING_READ);
        ctx.json(service.standing(PathIds.sectionId(ctx)).stream().map(this::view).toList());
    }

    public void history(Context ctx) {
        auth.require(ctx, Scope.STANDING_READ);
        ctx.json(service.history(PathIds.sectionId(ctx), PathIds.personId(ctx)));
    }

    public void setOverride(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.OVERRIDES);
        String sectionId = PathIds.sectionId(ctx);
        OverrideBody<StandingOverride.Decision> in = OverrideBody.read(ctx, json, StandingOverride.Decision.class,
                "invalid override");
        StandingRepository.StoredStanding s = service.override(sectionId, in.personId(), in.decision(), in.reason(),
                new ChangeSource(caller.name(), clock.instant(), "override of " + in.personId() + " in section " + sectionId));
        ctx.status(201).json(view(s));
    }

    public void withdrawOverride(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.OVERRIDES);
        String sectionId = PathIds.sectionId(ctx);
        String personId = PathIds.personId(ctx);
        StandingRepository.StoredStanding s = service.withdrawOverride(sectionId, personId,
                new ChangeSource(caller.name(), clock.instant(), "override of " + personId + " withdrawn in section " + sectionId));
        if (s == null) {
            ctx.status(204);
        } else {
            ctx.json(view(s));
        }
    }

    /** One standing row, field names per qatysu-api.md, plus the numbers behind them. */
    Map<String, Object> view(StandingRepository.StoredStanding stored) {
        Standing s = stored.standing();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("personId", stored.personId());
        m.put("plannedHours", s.plannedHours());
        m.put("absentHours", s.absentHours());
        m.put("lateCount", s.lateCount());
        m.put("absenceShare", s.absenceShare());
        m.put("state", s.state().name());
        m.put("computedState", s.computedState().name());
        m.put("override", s.override().map(o -> {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("state", o.decision().name());
            om.put("reason", o.reason());
            om.put("by", o.by());
            om.put("at", o.at().toString());
            return om;
        }).orElse(null));
        m.put("reason", StandingTexts.sentence(defaultMessages, s));
        m.put("reasonCode", s.reason().code().name());
        m.put("reasonArgs", s.reason().args());
        m.put("absenceBudget", s.absenceBudget());
        m.put("lateAbsenceHours", s.lateAbsenceHours());
        m.put("excusedHours", s.excusedHours());
        m.put("computedAt", stored.computedAt().toString());
        return m;
    }
}
