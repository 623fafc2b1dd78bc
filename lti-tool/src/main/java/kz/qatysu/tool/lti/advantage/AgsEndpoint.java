package kz.qatysu.tool.lti.advantage;

import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.session.ToolSession;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The launch's AGS claim ({@code …/lti-ags/claim/endpoint}): the line items container, the link's own line item
 * when the platform named one ({@code null} otherwise; Moodle drops it once the link has two line items) and the
 * scopes the platform grants.
 */
public record AgsEndpoint(URI lineItems, URI lineItem, Set<String> scopes) {

    public AgsEndpoint {
        scopes = Set.copyOf(scopes);
    }

    public Optional<URI> launchLineItem() {
        return Optional.ofNullable(lineItem);
    }

    public boolean grants(String scope) {
        return scopes.contains(scope);
    }

    /** The AGS endpoint of the session's launch, if the platform offered one. */
    public static Optional<AgsEndpoint> of(ToolSession session) {
        return session.service(LtiClaims.AGS_ENDPOINT).flatMap(AgsEndpoint::fromClaim);
    }

    public static Optional<AgsEndpoint> fromClaim(Map<String, Object> claim) {
        URI lineItems = uri(claim.get("lineitems"));
        URI lineItem = uri(claim.get("lineitem"));
        if (lineItems == null && lineItem == null) {
            return Optional.empty();
        }
        Set<String> scopes = claim.get("scope") instanceof Iterable<?> it
                ? StreamSupport.stream(it.spliterator(), false).map(String::valueOf).collect(Collectors.toSet())
                : Set.of();
        return Optional.of(new AgsEndpoint(lineItems, lineItem, scopes));
    }

    private static URI uri(Object value) {
        return value instanceof String s && !s.isBlank() ? URI.create(s) : null;
    }
}
