package kz.qatysu.tool.lti.login;

import java.time.Instant;

/** What a login initiation left for the launch that answers it. */
public record LoginState(String state, String nonce, long platformId, String browserHash, String targetLinkUri,
                         String deploymentId, Instant expiresAt) {
}
