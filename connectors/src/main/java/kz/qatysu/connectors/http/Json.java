package kz.qatysu.connectors.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;

/** The one Jackson configuration of the connectors, and parsing that names the target when a body is not JSON. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // keep the offset a time was given in (+05:00), as the tool's contract shows it
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private Json() {
    }

    /** Parses a response body; a body that is not JSON is an {@link HttpFailure} of kind MALFORMED. */
    public static JsonNode parse(String target, String what, HttpResult result) {
        try {
            JsonNode node = MAPPER.readTree(result.body());
            if (node == null || node.isMissingNode()) {
                throw new HttpFailure(target, HttpFailure.Kind.MALFORMED, result.status(), 1,
                        what + ": empty body where JSON was expected", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new HttpFailure(target, HttpFailure.Kind.MALFORMED, result.status(), 1,
                    what + ": answer is not valid JSON (" + e.getOriginalMessage() + "): " + result.excerpt(200), e);
        } catch (IOException e) {
            throw new HttpFailure(target, HttpFailure.Kind.MALFORMED, result.status(), 1,
                    what + ": unreadable body (" + e.getMessage() + ")", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
