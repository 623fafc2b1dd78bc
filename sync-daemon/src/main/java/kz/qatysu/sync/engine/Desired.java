package kz.qatysu.sync.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one target should hold for one record: flat string fields in a stable order, and whether the record should
 * be suspended there. Fields are portal-level facts (section code, person id, role), not the target's own ids, so a
 * plan can be made before anything exists in the target. Its {@link #hash()} is what the ledger remembers.
 */
public record Desired(String key, Map<String, String> fields, boolean suspended) {

    public Desired {
        Objects.requireNonNull(key, "key");
        // a compact immutable map: a university has hundreds of thousands of these in memory at once;
        // order does not matter, hash() and diffs sort the names themselves
        Map<String, String> copy = new java.util.HashMap<>(fields.size() * 2);
        fields.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        fields = Map.copyOf(copy);
    }

    public static Desired of(String key, Map<String, String> fields) {
        return new Desired(key, fields, false);
    }

    public String get(String field) {
        return fields.get(field);
    }

    /** SHA-256 (first 128 bits, hex) of the sorted fields and the suspended flag. */
    public String hash() {
        return hash(fields, suspended);
    }

    public static String hash(Map<String, String> fields, boolean suspended) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(fields).forEach((k, v) -> {
                md.update(k.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update((v == null ? "" : v).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 1);
            });
            md.update((byte) (suspended ? 'S' : 'A'));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
