package kz.qatysu.tool.lti.advantage;

import kz.qatysu.tool.lti.LtiClaims;
import kz.qatysu.tool.lti.session.ToolSession;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The launch's NRPS claim ({@code …/lti-nrps/claim/namesroleservice}). */
public record NrpsEndpoint(URI contextMembershipsUrl, List<String> serviceVersions) {

    public NrpsEndpoint {
        serviceVersions = List.copyOf(serviceVersions);
    }

    /** The NRPS endpoint of the session's launch, if the platform offered one. */
    public static Optional<NrpsEndpoint> of(ToolSession session) {
        return session.service(LtiClaims.NRPS).flatMap(NrpsEndpoint::fromClaim);
    }

    public static Optional<NrpsEndpoint> fromClaim(Map<String, Object> claim) {
        if (!(claim.get("context_memberships_url") instanceof String url) || url.isBlank()) {
            return Optional.empty();
        }
        List<String> versions = claim.get("service_versions") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList()
                : List.of();
        return Optional.of(new NrpsEndpoint(URI.create(url), versions));
    }
}
