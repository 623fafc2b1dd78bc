package kz.qatysu.tool.lti.login;

import kz.qatysu.tool.util.Tokens;
import kz.qatysu.tool.lti.keys.KeyEncryption;
import org.jdbi.v3.core.Jdbi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The OIDC {@code state} as a signed value instead of a database row: the login initiation writes nothing, and any
 * tool node sharing the database opens a state another node issued. Form: {@code v1.} + base64url(payload) + {@code .}
 * + base64url(HMAC-SHA256(key, payload)); the payload carries the platform id, the nonce, the browser binding (SHA-256
 * of the {@code qatysu_bid} cookie), the target link URI, the deployment id and the expiry.
 *
 * <p>The HMAC key is 32 random bytes kept in {@code tool_secret} (name {@value #SECRET_NAME}), sealed with the
 * key-encryption key like the tool's signing keys: every node that can open those opens this one, and the first node
 * to start writes it. A state that fails the MAC (tampered, minted with another key, not a state at all) is refused
 * like an unknown one; its expiry and browser binding are checked by the launch.
 *
 * <p>One use per state holds without a row: the id_token's nonce must equal the state's nonce, and the launch records
 * that nonce once per platform ({@code lti_nonce}, Security Framework 5.1.3 step 9) — the same state and token posted
 * again are refused as a replayed nonce, the state with another token fails the nonce comparison, and a refused launch
 * or an OIDC error records the state's nonce too, so the state stays spent.
 */
public final class SignedStates {
    static final String SECRET_NAME = "lti-state-hmac";
    private static final String PREFIX = "v1.";
    private static final byte VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;

    private SignedStates(byte[] key) {
        this.key = key;
    }

    /** A given key (tests: a state minted with another key). */
    public static SignedStates withKey(byte[] key) {
        return new SignedStates(key.clone());
    }

    /**
     * The key every node shares: read from {@code tool_secret}, written there (sealed) by the first node to ask. Two
     * nodes starting at once insert at most one row; both read the one that won.
     */
    public static SignedStates load(Jdbi jdbi, KeyEncryption sealing) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        String sealed = jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO tool_secret (name, sealed) VALUES (:name, :sealed) ON CONFLICT (name) DO NOTHING")
                    .bind("name", SECRET_NAME).bind("sealed", sealing.seal(SECRET_NAME, B64.encodeToString(fresh))).execute();
            return h.createQuery("SELECT sealed FROM tool_secret WHERE name = :name").bind("name", SECRET_NAME)
                    .mapTo(String.class).one();
        });
        try {
            return new SignedStates(B64D.decode(sealing.open(SECRET_NAME, sealed)));
        } catch (IllegalStateException e) {
            // the message names the setting to fix (every node needs the key-encryption key that sealed it)
            throw new IllegalStateException("tool_secret '" + SECRET_NAME + "' (the HMAC key of the login states): " + e.getMessage(), e);
        }
    }

    /** The state to send to the platform for this login ({@code s.state()} is ignored). */
    public String issue(LoginState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(s.platformId());
            out.writeLong(s.expiresAt().getEpochSecond());
            out.writeUTF(s.nonce());
            out.write(HexFormat.of().parseHex(s.browserHash()));
            out.writeBoolean(s.deploymentId() != null);
            out.writeUTF(s.deploymentId() == null ? "" : s.deploymentId());
            out.writeUTF(s.targetLinkUri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] payload = bytes.toByteArray();
        return PREFIX + B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
    }

    /**
     * The login a state was issued for, or empty when it is not one this tool signed (MAC compared in constant time).
     * The expiry is not checked here: the caller tells an expired state apart.
     */
    public Optional<LoginState> open(String state) {
        if (state == null || !state.startsWith(PREFIX) || state.length() > 8192) {
            return Optional.empty();
        }
        int dot = state.indexOf('.', PREFIX.length());
        if (dot < 0 || state.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] given;
        try {
            payload = B64D.decode(state.substring(PREFIX.length(), dot));
            given = B64D.decode(state.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(payload), given)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            long platformId = in.readLong();
            Instant expiresAt = Instant.ofEpochSecond(in.readLong());
            String nonce = in.readUTF();
            byte[] browserHash = in.readNBytes(32);
            boolean hasDeployment = in.readBoolean();
            String deployment = in.readUTF();
            String target = in.readUTF();
            if (browserHash.length != 32 || in.available() != 0) {
                return Optional.empty();
            }
            return Optional.of(new LoginState(state, nonce, platformId, HexFormat.of().formatHex(browserHash), target,
                    hasDeployment ? deployment : null, expiresAt));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        return Tokens.hmacSha256(key, PREFIX.getBytes(StandardCharsets.US_ASCII), payload);
    }
}
