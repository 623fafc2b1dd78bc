package kz.qatysu.tool.attendance.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import kz.qatysu.tool.api.InputProblems;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The body of a dean's-office override, {@code {"personId", "state", "reason"}} (qatysu-api.md), shared by the
 * attendance override and the admission override: {@code state} is one of {@code decisions}' constants (any case);
 * every bad field is a 400 naming it, so nothing of a refused request reaches the service.
 */
public record OverrideBody<D extends Enum<D>>(String personId, D decision, String reason) {

    public static <D extends Enum<D>> OverrideBody<D> read(Context ctx, ObjectMapper json, Class<D> decisions, String refusal) {
        JsonNode body = JsonBody.object(ctx, json);
        InputProblems problems = new InputProblems();
        JsonBody in = new JsonBody(problems);
        String personId = in.requiredId(body, "", "personId");
        String stateText = in.requiredText(body, "", "state");
        String reason = in.requiredText(body, "", "reason");
        D decision = null;
        if (stateText != null) {
            try {
                decision = Enum.valueOf(decisions, stateText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                String allowed = Arrays.stream(decisions.getEnumConstants()).map(Enum::name).collect(Collectors.joining(" or "));
                in.problem("state", "must be " + allowed + ", was '" + stateText + "'");
            }
        }
        problems.throwIfAny(refusal);
        return new OverrideBody<>(personId, decision, reason);
    }
}
