package kz.qatysu.tool.proctoring.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One model file: read from {@code proctoring.modelsDir} when it is set, else the copy bundled with the tool (a class
 * path resource beside this class), and accepted only with the configured SHA-256.
 *
 * @param key    the configuration prefix ({@code proctoring.detector}): problems name {@code key.model} or {@code key.sha256}
 * @param dir    {@code proctoring.modelsDir}, empty for the bundled copy
 * @param name   the file name ({@code key.model})
 * @param sha256 the expected SHA-256, hex ({@code key.sha256})
 */
public record ModelFile(String key, Optional<Path> dir, String name, String sha256) {
    static final String BUNDLED = "models/";
    /** Hashes already computed, by location, size and modification time: a restart in one JVM (tests) hashes once. */
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    /** A configuration problem: the key to fix and what is wrong. */
    public record Problem(String key, String problem) {
    }

    /** Where the file is read from, for messages. */
    public String location() {
        return dir.map(d -> d.resolve(name).toString()).orElse("the bundled " + name);
    }

    /** The file's bytes, checked against {@link #sha256}; an {@link IllegalStateException} naming the key otherwise. */
    public byte[] read() {
        byte[] bytes = bytes();
        String actual = sha256Hex(bytes);
        if (!actual.equals(sha256.toLowerCase(Locale.ROOT))) {
            Problem p = mismatch(actual);
            throw new IllegalStateException(p.key() + ": " + p.problem());
        }
        return bytes;
    }

    /** What is wrong with the file (missing, unreadable, another sha256), checked once per file version. */
    public Optional<Problem> problem() {
        if (!sha256.matches("(?i)[0-9a-f]{64}")) {
            return Optional.of(new Problem(key + ".sha256", "64 hex digits expected, was '" + sha256 + "'"));
        }
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            return Optional.of(new Problem(key + ".model", "a file name in proctoring.modelsDir expected, was '" + name + "'"));
        }
        String actual;
        try {
            actual = cachedHash();
        } catch (UncheckedIOException e) {
            return Optional.of(new Problem(dir.isPresent() ? "proctoring.modelsDir" : key + ".model", e.getMessage()));
        }
        return actual.equals(sha256.toLowerCase(Locale.ROOT)) ? Optional.empty() : Optional.of(mismatch(actual));
    }

    private Problem mismatch(String actual) {
        return new Problem(key + ".sha256", location() + " has sha256 " + actual + ", not the configured " + sha256
                + ": install the model file this key names, or set the key to the sha256 of the file you installed");
    }

    private String cachedHash() {
        if (dir.isEmpty()) {
            return HASHES.computeIfAbsent("bundled:" + name, k -> sha256Hex(bytes()));
        }
        Path file = dir.get().resolve(name);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            String k = file.toAbsolutePath() + ":" + a.size() + ":" + a.lastModifiedTime().toMillis();
            return HASHES.computeIfAbsent(k, x -> sha256Hex(bytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e instanceof java.nio.file.NoSuchFileException
                    ? "no model file " + file : "cannot read the model file " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] bytes() {
        if (dir.isEmpty()) {
            try (InputStream in = ModelFile.class.getResourceAsStream(BUNDLED + name)) {
                if (in == null) {
                    String why = "no bundled model " + name + ": set proctoring.modelsDir to the folder that holds it";
                    throw new UncheckedIOException(why, new IOException(why));
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled model " + name + ": " + e, e);
            }
        }
        Path file = dir.get().resolve(name);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model file " + file + ": " + e.getMessage(), e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
