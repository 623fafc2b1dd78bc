package kz.qatysu.tool.lti.launch;

import kz.qatysu.tool.lti.ToolRole;
import kz.qatysu.tool.lti.platforms.Platform;

import java.util.List;
import java.util.Map;

/**
 * A launch that passed every check: the platform it came from and the claims Qatysu uses, already typed.
 * {@code services} holds the Advantage claims (AGS endpoint, NRPS, deep linking settings) verbatim.
 */
public record Launch(Platform platform, String deploymentId, String messageType, String subject,
                     String name, String givenName, String familyName, String email, List<String> roles, ToolRole role,
                     String contextId, String contextLabel, String contextTitle,
                     String resourceLinkId, String resourceLinkTitle, String targetLinkUri,
                     String locale, String documentTarget, String returnUrl,
                     String personSourcedId, String courseSectionSourcedId, String username, String openedxCourseKey,
                     String productFamily, Map<String, String> custom, Map<String, Object> services) {

    public Launch {
        roles = List.copyOf(roles);
        custom = Map.copyOf(custom);
        services = Map.copyOf(services);
    }
}
