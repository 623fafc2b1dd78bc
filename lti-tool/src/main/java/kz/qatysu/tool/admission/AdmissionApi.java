package kz.qatysu.tool.admission;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.javalin.http.Context;
import kz.qatysu.tool.admission.policy.SectionRatingOverride;
import kz.qatysu.tool.admission.rules.AdmissionOverride;
import kz.qatysu.tool.admission.rules.Component;
import kz.qatysu.tool.admission.rules.ComponentScore;
import kz.qatysu.tool.admission.rules.Condition;
import kz.qatysu.tool.admission.rules.Rating;
import kz.qatysu.tool.admission.rules.RatingPolicy;
import kz.qatysu.tool.api.ApiAuth;
import kz.qatysu.tool.api.ApiCaller;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.api.InputProblems;
import kz.qatysu.tool.api.Scope;
import kz.qatysu.tool.attendance.ChangeSource;
import kz.qatysu.tool.attendance.input.JsonBody;
import kz.qatysu.tool.attendance.input.OverrideBody;
import kz.qatysu.tool.attendance.input.PathIds;
import kz.qatysu.tool.attendance.rules.Standing;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Assessment scores and the final exam admission (qatysu-api.md, "Assessment scores and exam admission"):
 * {@code PUT /api/v1/sections/{sectionId}/scores} (scope sync), {@code GET …/admission} (admin, standing:read, sync),
 * {@code POST …/admission-overrides} and {@code DELETE …/admission-overrides/{personId}} (overrides), a student's
 * decision history {@code GET …/admission/{personId}/history} (standing:read) and the section's rating policy
 * {@code GET/PUT/DELETE …/rating-policy} (admin).
 */
public final class AdmissionApi {
    /** Points and maxima carry at most this many decimals (the store keeps 4). */
    static final int MAX_DECIMALS = 4;
    static final BigDecimal MAX_POINTS = new BigDecimal("100000");

    private final AdmissionService service;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final ObjectReader reader;
    private final Clock clock;

    public AdmissionApi(AdmissionService service, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.service = service;
        this.auth = auth;
        this.json = json;
        // decimals arrive as exact BigDecimals, never through binary floating point; NaN / Infinity are read so they
        // can be refused by field rather than as unreadable JSON
        this.reader = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
        this.clock = clock;
    }

    public void putScores(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.SYNC);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = read(ctx);
        if (!body.isArray()) {
            throw ApiException.badRequest("request body must be a JSON array of scores",
                    List.of(new ApiException.Detail("", "must be an array")));
        }
        if (body.size() > JsonBody.MAX_RECORDS) {
            throw ApiException.badRequest("too many scores",
                    List.of(new ApiException.Detail("", "at most " + JsonBody.MAX_RECORDS + " records, got " + body.size())));
        }
        RatingPolicy policy = service.policy(sectionId);
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        List<AdmissionService.ScoreInput> records = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < body.size(); i++) {
            String path = "[" + i + "]";
            JsonNode record = body.get(i);
            if (!in.isRecord(record, path)) {
                continue;
            }
            int before = problems.list().size();
            String personId = in.requiredId(record, path, "personId");
            String componentText = in.requiredText(record, path, "component");
            Component component = null;
            if (componentText != null) {
                component = policy.resolve(componentText).orElse(null);
                if (component == null) {
                    in.problem(path + ".component", "unknown component '" + componentText + "' (accepted: "
                            + policy.accepted() + ")");
                }
            }
            BigDecimal max = component == null ? null : component.max();
            if (record.has("max") && !record.get("max").isNull()) {
                max = decimal(in, record.get("max"), path + ".max");
                if (max != null && max.signum() <= 0) {
                    in.problem(path + ".max", "must be more than 0, was " + max.toPlainString());
                    max = null;
                } else if (max != null && max.compareTo(MAX_POINTS) > 0) {
                    in.problem(path + ".max", "at most " + MAX_POINTS.toPlainString() + ", was " + max.toPlainString());
                    max = null;
                }
            }
            BigDecimal points = null;
            if (!record.has("points")) {
                in.problem(path + ".points", "required (null removes the score)");
            } else if (!record.get("points").isNull()) {
                points = decimal(in, record.get("points"), path + ".points");
                if (points != null && points.signum() < 0) {
                    in.problem(path + ".points", "must be 0 or more, was " + points.toPlainString());
                } else if (points != null && max != null && points.compareTo(max) > 0) {
                    in.problem(path + ".points", "must not exceed max " + max.toPlainString() + ", was " + points.toPlainString());
                }
            }
            if (personId != null && component != null) {
                Integer first = seen.putIfAbsent(personId + "\n" + component.name(), i);
                if (first != null) {
                    in.problem(path + ".component", component.name() + " of '" + personId
                            + "' appears twice (also at [" + first + "])");
                }
            }
            if (problems.list().size() == before) {
                records.add(new AdmissionService.ScoreInput(i, personId, component.name(), points, max));
            }
        }
        problems.throwIfAny("invalid scores: nothing was stored");
        AdmissionService.ScoresResult result = service.putScores(sectionId, records, problems,
                new ChangeSource(caller.name(), clock.instant(), "scores of section " + sectionId));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stored", result.stored());
        m.put("removed", result.removed());
        m.put("unchanged", result.unchanged());
        m.put("admissionChanged", result.admissionChanged());
        ctx.json(m);
    }

    public void admission(Context ctx) {
        auth.requireAny(ctx, Scope.ADMIN, Scope.STANDING_READ, Scope.SYNC);
        ctx.json(service.rows(PathIds.sectionId(ctx)).stream().map(AdmissionApi::view).toList());
    }

    public void history(Context ctx) {
        auth.require(ctx, Scope.STANDING_READ);
        ctx.json(service.history(PathIds.sectionId(ctx), PathIds.personId(ctx)));
    }

    public void setOverride(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.OVERRIDES);
        String sectionId = PathIds.sectionId(ctx);
        OverrideBody<AdmissionOverride.Decision> in = OverrideBody.read(ctx, json, AdmissionOverride.Decision.class,
                "invalid admission override");
        AdmissionService.Row row = service.override(sectionId, in.personId(), in.decision(), in.reason(), new ChangeSource(
                caller.name(), clock.instant(), "admission override of " + in.personId() + " in section " + sectionId));
        ctx.status(201).json(view(row));
    }

    public void withdrawOverride(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.OVERRIDES);
        String sectionId = PathIds.sectionId(ctx);
        String personId = PathIds.personId(ctx);
        AdmissionService.Row row = service.withdrawOverride(sectionId, personId, new ChangeSource(caller.name(),
                clock.instant(), "admission override of " + personId + " withdrawn in section " + sectionId));
        if (row == null) {
            ctx.status(204);
        } else {
            ctx.json(view(row));
        }
    }

    public void getPolicy(Context ctx) {
        auth.require(ctx, Scope.ADMIN);
        ctx.json(policyView(service.policyView(PathIds.sectionId(ctx))));
    }

    public void putPolicy(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        JsonNode body = read(ctx);
        if (!body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object", List.of(new ApiException.Detail("", "must be an object")));
        }
        RatingPolicy institution = service.policyView(sectionId).institution();
        ChangeSource source = new ChangeSource(caller.name(), clock.instant(), "rating policy of section " + sectionId);
        SectionRatingOverride o = parsePolicy(body, institution, source);
        ctx.json(policyView(service.savePolicy(sectionId, o, source)));
    }

    public void deletePolicy(Context ctx) {
        ApiCaller caller = auth.require(ctx, Scope.ADMIN);
        String sectionId = PathIds.sectionId(ctx);
        ctx.json(policyView(service.resetPolicy(sectionId, new ChangeSource(caller.name(), clock.instant(),
                "rating policy override of section " + sectionId + " removed"))));
    }

    /**
     * {@code {"threshold": 0.6, "components": [{"component": "RK1", "max": 60}, …]}}, each optional (null = inherit);
     * every bad field reported, nothing stored.
     */
    public static SectionRatingOverride parsePolicy(JsonNode body, RatingPolicy institution, ChangeSource source) {
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        BigDecimal threshold = null;
        if (body.hasNonNull("threshold")) {
            threshold = decimal(in, body.get("threshold"), "threshold");
            if (threshold != null && (threshold.signum() <= 0 || threshold.compareTo(BigDecimal.ONE) > 0)) {
                in.problem("threshold", "must be a share in (0, 1] (0.50 = 50 %), was " + threshold.toPlainString());
            }
        }
        Map<String, BigDecimal> maxima = null;
        JsonNode list = body.get("components");
        if (list != null && !list.isNull()) {
            if (!list.isArray() || list.isEmpty()) {
                in.problem("components", "must be a non-empty array of {component, max}");
            } else {
                maxima = new LinkedHashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    String path = "components[" + i + "]";
                    JsonNode c = list.get(i);
                    if (!in.isRecord(c, path)) {
                        continue;
                    }
                    String name = in.requiredText(c, path, "component");
                    Optional<Component> known = name == null ? Optional.empty() : institution.resolve(name);
                    if (name != null && known.isEmpty()) {
                        in.problem(path + ".component", "unknown component '" + name + "' (accepted: " + institution.accepted() + ")");
                    }
                    BigDecimal max = known.map(Component::max).orElse(null);
                    if (c.hasNonNull("max")) {
                        max = decimal(in, c.get("max"), path + ".max");
                        if (max != null && (max.signum() <= 0 || max.compareTo(MAX_POINTS) > 0)) {
                            in.problem(path + ".max", "must be more than 0 and at most " + MAX_POINTS.toPlainString());
                        }
                    }
                    if (known.isPresent() && maxima.putIfAbsent(known.get().name(), max) != null) {
                        in.problem(path + ".component", known.get().name() + " appears twice");
                    }
                }
            }
        }
        problems.throwIfAny("invalid rating policy: nothing was stored");
        return new SectionRatingOverride(threshold, maxima, source.by(), source.at());
    }

    /** A finite decimal with at most {@link #MAX_DECIMALS} decimals, else a problem at {@code path} and null. */
    static BigDecimal decimal(JsonBody in, JsonNode n, String path) {
        if (!n.isNumber()) {
            in.problem(path, "must be a number, was " + (n.isTextual() ? "the string '" + n.asText() + "'" : n.getNodeType().name().toLowerCase(Locale.ROOT)));
            return null;
        }
        if (n.isDouble() || n.isFloat()) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                in.problem(path, "must be a finite number, was " + n.asText());
                return null;
            }
        }
        BigDecimal value = n.decimalValue().stripTrailingZeros();
        if (value.scale() > MAX_DECIMALS) {
            in.problem(path, "at most " + MAX_DECIMALS + " decimals, was " + value.toPlainString());
            return null;
        }
        if (value.abs().compareTo(MAX_POINTS.multiply(BigDecimal.TEN)) > 0) {
            in.problem(path, "at most " + MAX_POINTS.toPlainString() + ", was " + value.toPlainString());
            return null;
        }
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    private JsonNode read(Context ctx) {
        JsonNode body;
        try {
            body = reader.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not JSON",
                    List.of(new ApiException.Detail("", "not valid JSON: " + e.getClass().getSimpleName())));
        }
        if (body == null || body.isMissingNode()) {
            throw ApiException.badRequest("request body is empty", List.of(new ApiException.Detail("", "a JSON body is required")));
        }
        return body;
    }

    /** One row of {@code GET …/admission}, field names per qatysu-api.md, plus the conditions and the in-term gate. */
    public static Map<String, Object> view(AdmissionService.Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("personId", row.personId());
        m.put("admitted", row.admission().admitted());
        m.put("computedAdmitted", row.admission().computedAdmitted());
        Standing s = row.standing();
        Map<String, Object> attendance = new LinkedHashMap<>();
        attendance.put("state", s == null ? "OK" : s.state().name());
        attendance.put("absenceShare", s == null ? BigDecimal.ZERO : s.absenceShare());
        attendance.put("override", s == null ? null : s.override().map(o -> {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("state", o.decision().name());
            om.put("reason", o.reason());
            om.put("by", o.by());
            om.put("at", o.at().toString());
            return om;
        }).orElse(null));
        m.put("attendance", attendance);
        m.put("rating", ratingView(row.rating()));
        m.put("reasons", row.admission().reasons());
        m.put("conditions", row.admission().conditions().stream().map(AdmissionApi::conditionView).toList());
        m.put("override", row.admission().override().map(o -> {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("state", o.decision().name());
            om.put("reason", o.reason());
            om.put("by", o.by());
            om.put("at", o.at().toString());
            return om;
        }).orElse(null));
        Map<String, Object> inTerm = new LinkedHashMap<>();
        inTerm.put("admitted", row.inTerm().admitted());
        inTerm.put("reasons", row.inTerm().reasons());
        m.put("inTerm", inTerm);
        return m;
    }

    static Map<String, Object> ratingView(Rating r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points", r.points());
        m.put("max", r.max());
        m.put("share", r.share());
        m.put("threshold", r.threshold());
        m.put("missing", r.missing());
        m.put("components", r.components().stream().map(AdmissionApi::scoreView).toList());
        m.put("pointsNeeded", r.pointsNeeded());
        return m;
    }

    private static Map<String, Object> scoreView(ComponentScore s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("component", s.component());
        m.put("points", s.points());
        m.put("max", s.max());
        return m;
    }

    private static Map<String, Object> conditionView(Condition c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", c.kind().name());
        m.put("met", c.met());
        m.put("reason", c.reason());
        return m;
    }

    private static Map<String, Object> policyView(AdmissionService.PolicyView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sectionId", v.sectionId());
        m.put("effective", policyView(v.effective()));
        m.put("institution", policyView(v.institution()));
        m.put("override", v.override().map(o -> {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("threshold", o.threshold());
            om.put("components", o.maxima() == null ? null : o.maxima().entrySet().stream()
                    .map(e -> Map.of("component", e.getKey(), "max", e.getValue())).toList());
            om.put("by", o.by());
            om.put("at", o.at().toString());
            return om;
        }).orElse(null));
        m.put("admissionChanged", v.admissionChanged());
        return m;
    }

    static Map<String, Object> policyView(RatingPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold", p.threshold());
        m.put("components", p.components().stream().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("component", c.name());
            cm.put("max", c.max());
            cm.put("aliases", c.aliases());
            return cm;
        }).toList());
        m.put("max", p.maxTotal());
        return m;
    }
}
