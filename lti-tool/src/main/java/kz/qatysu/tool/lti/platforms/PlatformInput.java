package kz.qatysu.tool.lti.platforms;

import java.util.List;

/** What an administrator submits to register or change a platform (the JSON of the admin API). */
public record PlatformInput(String issuer, String clientId, String name, String authLoginUrl, String authTokenUrl,
                           String keySetUrl, List<String> deploymentIds, Boolean enabled) {
}
