package kz.qatysu.tool.deans;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kz.qatysu.tool.api.ApiException;
import kz.qatysu.tool.attendance.policy.SectionPolicyOverride;
import kz.qatysu.tool.attendance.policy.SectionPolicyService;
import kz.qatysu.tool.attendance.rules.AbsencePolicy;
import kz.qatysu.tool.web.Messages;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dean's-office policy form of a section, as pure functions: the typed fields become the same JSON body the
 * policy API takes (an empty field inherits), so {@link SectionPolicyService#parse} validates both alike; its
 * problems come back as one message per field in the reader's language.
 */
public final class PolicyForm {
    private static final List<String> SHARES = List.of("lockThreshold", "warningThreshold");
    private static final List<String> CHOICES = List.of("denominator", "unit");
    /** AbsencePolicy's cross-field problem: "(0.35) must not exceed lockThreshold (0.30)"; group 1 is the bound. */
    private static final java.util.regex.Pattern EXCEEDS = java.util.regex.Pattern.compile("must not exceed \\w+ \\(([^)]+)\\)");

    private PolicyForm() {
    }

    /** The fields as typed (trimmed); missing ones are empty. */
    public static Map<String, String> typed(java.util.function.Function<String, String> formParam) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : SectionPolicyService.FIELDS) {
            out.put(f, Optional.ofNullable(formParam.apply(f)).orElse("").strip());
        }
        return out;
    }

    /** The form as the API's JSON body: numbers where they parse (a decimal comma too), text otherwise. */
    public static ObjectNode body(Map<String, String> typed) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode body = json.objectNode();
        typed.forEach((field, raw) -> {
            if (raw.isEmpty()) {
                return;
            }
            if (CHOICES.contains(field)) {
                body.put(field, raw);
            } else if (SHARES.contains(field)) {
                try {
                    body.set(field, json.numberNode(new BigDecimal(raw.replace(',', '.'))));
                } catch (NumberFormatException e) {
                    body.put(field, raw);
                }
            } else if (raw.matches("-?\\d{1,9}")) {
                body.put(field, Integer.parseInt(raw));
            } else {
                body.put(field, raw);
            }
        });
        return body;
    }

    /** The form's fields filled from a stored override (empty = inherited). */
    public static Map<String, String> of(Optional<SectionPolicyOverride> o) {
        Map<String, String> out = new LinkedHashMap<>();
        SectionPolicyService.FIELDS.forEach(f -> out.put(f, ""));
        o.ifPresent(x -> {
            put(out, "lockThreshold", x.lockThreshold() == null ? null : x.lockThreshold().toPlainString());
            put(out, "warningThreshold", x.warningThreshold() == null ? null : x.warningThreshold().toPlainString());
            put(out, "lateMinutesCountingAsAbsence", x.lateMinutesCountingAsAbsence());
            put(out, "latesPerAbsence", x.latesPerAbsence());
            put(out, "denominator", x.denominator() == null ? null : SectionPolicyService.wire(x.denominator()));
            put(out, "unit", x.unit() == null ? null : SectionPolicyService.wire(x.unit()));
            put(out, "lockHours", x.lockHours());
            put(out, "warningHours", x.warningHours());
        });
        return out;
    }

    /** A policy's value of {@code field} as shown (shares as shares, choices in their API spelling). */
    public static String value(AbsencePolicy p, String field) {
        return switch (field) {
            case "lockThreshold" -> p.lockThreshold().stripTrailingZeros().toPlainString();
            case "warningThreshold" -> p.warningThreshold().stripTrailingZeros().toPlainString();
            case "lateMinutesCountingAsAbsence" -> String.valueOf(p.lateMinutesCountingAsAbsence());
            case "latesPerAbsence" -> String.valueOf(p.latesPerAbsence());
            case "denominator" -> SectionPolicyService.wire(p.denominator());
            case "unit" -> SectionPolicyService.wire(p.unit());
            case "lockHours" -> String.valueOf(p.lockHours());
            case "warningHours" -> String.valueOf(p.warningHours());
            default -> throw new IllegalArgumentException("no policy field " + field);
        };
    }

    /**
     * A stored value as the page shows it: shares as percentages ({@code 0.3} → {@code 30 %}), choices by their
     * name in the reader's language, numbers as they are; "" stays "".
     */
    public static String shown(kz.qatysu.tool.web.Messages t, String field, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return switch (field) {
            case "lockThreshold", "warningThreshold" -> {
                try {
                    java.math.BigDecimal p = new java.math.BigDecimal(value).movePointRight(2).stripTrailingZeros();
                    yield (p.scale() < 0 ? p.setScale(0) : p).toPlainString() + " %";
                } catch (NumberFormatException e) {
                    yield value;
                }
            }
            case "denominator", "unit" -> t.t("deans.policy.choice." + value);
            default -> value;
        };
    }

    /**
     * The validation's problems as one translated message per field. The API's problem text says which rule broke;
     * the message says the same rule in the reader's language, with the inherited-value note when it applies.
     */
    public static Map<String, String> errors(List<ApiException.Detail> details, Messages t, AbsencePolicy institution) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ApiException.Detail d : details) {
            String field = d.path();
            String p = d.problem();
            String message;
            java.util.regex.Matcher exceeds = EXCEEDS.matcher(p);
            if (exceeds.find()) {
                message = field.equals("warningHours") ? t.t("deans.policy.error.warningHoursAboveLock", exceeds.group(1))
                        : t.t("deans.policy.error.warningAboveLock", exceeds.group(1));
            } else if (p.startsWith("one of")) {
                message = t.t("deans.policy.error.choice");
            } else if (SHARES.contains(field)) {
                message = t.t("deans.policy.error.share");
            } else if (field.equals("lateMinutesCountingAsAbsence")) {
                message = t.t("deans.policy.error.minutes");
            } else if (SectionPolicyService.FIELDS.contains(field)) {
                message = t.t("deans.policy.error.positive");
            } else {
                message = p;
            }
            if (p.contains("(inherited from the institution's policy)")) {
                message = message + " " + t.t("deans.policy.error.inherited", value(institution, field));
            }
            out.merge(field, message, (a, b) -> a.equals(b) ? a : a + " " + b);
        }
        return out;
    }

    private static void put(Map<String, String> out, String field, Object v) {
        if (v != null) {
            out.put(field, String.valueOf(v));
        }
    }

    /** One row of the panel: the effective value, where it comes from, the institution's, the form's, an error. */
    public record Row(String field, String effective, boolean overridden, String institution, String typed, String error) {
        public boolean choice() {
            return CHOICES.contains(field);
        }

        public List<String> options() {
            return switch (field) {
                case "denominator" -> List.of(AbsencePolicy.Denominator.values()).stream().map(SectionPolicyService::wire).toList();
                case "unit" -> List.of(AbsencePolicy.Unit.values()).stream().map(SectionPolicyService::wire).toList();
                default -> List.of();
            };
        }
    }

    /** The panel: rows, who last changed the override and when (null when the section inherits everything). */
    public record Panel(List<Row> rows, String by, String at, boolean hasOverride, String notice) {
        public boolean hasErrors() {
            return rows.stream().anyMatch(r -> r.error() != null);
        }
    }

    /** Builds the panel from the stored policy; {@code typed}/{@code errors} when a refused form comes back. */
    public static Panel panel(SectionPolicyService.View v, Map<String, String> typed, Map<String, String> errors, String notice) {
        Map<String, String> stored = of(v.override());
        List<Row> rows = SectionPolicyService.FIELDS.stream().map(f -> new Row(f, value(v.effective(), f),
                !stored.get(f).isEmpty(), value(v.institution(), f), typed == null ? stored.get(f) : typed.get(f),
                errors.get(f))).toList();
        return new Panel(rows, v.override().map(SectionPolicyOverride::by).orElse(null),
                v.override().map(o -> kz.qatysu.tool.web.Messages.formatDateTime(o.at())).orElse(null),
                v.override().isPresent(), notice);
    }
}
