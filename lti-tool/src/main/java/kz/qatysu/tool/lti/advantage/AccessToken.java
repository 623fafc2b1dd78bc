package kz.qatysu.tool.lti.advantage;

import java.time.Instant;
import java.util.Set;

/**
 * A bearer token from a platform's token endpoint. {@code scopes} is what the platform says it granted (Moodle:
 * the intersection of what was asked and what the tool may have). {@code refreshAfter} is a little before the
 * platform's {@code expires_in} runs out. {@link #toString()} never shows the token.
 */
public record AccessToken(String value, Set<String> scopes, Instant refreshAfter) {

    public AccessToken {
        scopes = Set.copyOf(scopes);
    }

    public boolean usableAt(Instant now) {
        return now.isBefore(refreshAfter);
    }

    @Override
    public String toString() {
        return "AccessToken[scopes=" + scopes + ", refreshAfter=" + refreshAfter + ", value=<masked>]";
    }
}
