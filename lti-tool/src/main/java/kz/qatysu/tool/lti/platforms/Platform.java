package kz.qatysu.tool.lti.platforms;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** One LTI 1.3 platform registration: an issuer and the client id it gave this tool. */
public record Platform(long id, String issuer, String clientId, String name, URI authLoginUrl, URI authTokenUrl,
                       URI keySetUrl, List<String> deploymentIds, boolean enabled, String productFamily,
                       String source, Instant createdAt, Instant updatedAt) {

    public Platform {
        deploymentIds = List.copyOf(deploymentIds);
    }

    public boolean hasDeployment(String deploymentId) {
        return deploymentIds.contains(deploymentId);
    }

    /** The origin (scheme://host[:port]) of the issuer, which is also where its pages frame ours from. */
    public String origin() {
        return originOf(issuer);
    }

    public static String originOf(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
