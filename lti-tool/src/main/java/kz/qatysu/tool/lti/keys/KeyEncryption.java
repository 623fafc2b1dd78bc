package kz.qatysu.tool.lti.keys;

import kz.qatysu.config.Secret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The tool's private signing keys at rest: AES-256-GCM, the kid as associated data (a sealed key cannot be moved to
 * another row). The key-encryption key is {@code lti.keyEncryptionKey} (32 random bytes in base64; the same on every
 * instance behind a load balancer) or, when that is unset, one generated in {@code dataDir/tool-key-encryption.key}
 * (mode 600). Stored form: {@code aes-gcm:v1:} + base64(12-byte nonce ‖ ciphertext ‖ tag).
 */
public final class KeyEncryption {
    public static final String CONFIG_KEY = "lti.keyEncryptionKey";
    static final String PREFIX = "aes-gcm:v1:";
    public static final String KEY_FILE = "tool-key-encryption.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String origin;

    private KeyEncryption(byte[] key, String origin) {
        this.key = new SecretKeySpec(key, "AES");
        this.origin = origin;
    }

    /** The configured key, else the one in {@code dataDir} (generated at first use). */
    public static KeyEncryption from(Optional<Secret> configured, Path dataDir) {
        if (configured.isPresent()) {
            return new KeyEncryption(decode(configured.get().reveal()).orElseThrow(
                    () -> new IllegalArgumentException(CONFIG_KEY + ": " + PROBLEM)), CONFIG_KEY);
        }
        Path file = dataDir.resolve(KEY_FILE);
        return new KeyEncryption(readOrCreateKeyFile(file), file.toString());
    }

    /** A given 32-byte key. */
    public static KeyEncryption of(byte[] key) {
        return new KeyEncryption(key.clone(), "a test key");
    }

    /** What a valid {@code lti.keyEncryptionKey} is, for the start-up check. */
    public static final String PROBLEM = "32 random bytes in base64 expected (e.g. openssl rand -base64 32)";

    public static Optional<byte[]> decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.strip());
            return bytes.length == 32 ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    public String seal(String kid, String privateJwk) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(privateJwk.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the tool key " + kid, e);
        }
    }

    /** The private JWK of a stored key; a key stored before encryption existed (plain JSON) is returned as it is. */
    public String open(String kid, String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the tool signing key " + kid + " cannot be decrypted with the key-encryption key from "
                    + origin + ": every instance needs the key that encrypted it; set " + CONFIG_KEY
                    + " (QATYSU_LTI_KEY_ENCRYPTION_KEY) to it, or restore dataDir/" + KEY_FILE, e);
        }
    }

    /**
     * The 32-byte key in {@code file} (base64), created with fresh random bytes and mode 600 when absent; never
     * replaces a file another process wrote first. Also used for the proctoring media key.
     */
    public static byte[] readOrCreateKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.createDirectories(file.getParent());
                Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", ownerOnly());
                Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh) + "\n");
                try {
                    Files.createLink(file, tmp); // never replaces: another process may have written it first
                } catch (FileAlreadyExistsException e) {
                    // that one's key it is
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return decode(Files.readString(file)).orElseThrow(() -> new IllegalStateException(file + ": " + PROBLEM));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file, e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new java.nio.file.attribute.FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
    }
}
