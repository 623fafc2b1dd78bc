package kz.qatysu.tool.lti.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Every JWT the tool signs (deep linking responses, client assertions, LtiStartAssessment): RS256, typ JWT, the key's kid. */
public final class ToolJwt {
    private ToolJwt() {
    }

    /** @param what names the message in the (never expected) error: a valid RSA key always signs */
    public static String sign(RSAKey key, JWTClaimsSet claims, String what) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign " + what + " with the tool key " + key.getKeyID(), e);
        }
        return jwt.serialize();
    }
}
