package kz.qatysu.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw configuration: one YAML file overlaid by environment variables.
 *
 * <p>Every key can be overridden by an environment variable named {@code QATYSU_} + the key path in upper
 * snake case: {@code http.port} → {@code QATYSU_HTTP_PORT}, {@code publicUrl} → {@code QATYSU_PUBLIC_URL},
 * {@code platforms[0].keySetUrl} → {@code QATYSU_PLATFORMS_0_KEY_SET_URL}. A variable with the suffix
 * {@code _FILE} names a file whose content (trimmed) is the value — the usual way to hand secrets to a
 * container. Inside the YAML a value may be {@code ${env:NAME}} or {@code ${file:/path}}.
 */
public final class ConfigSource {
    public static final String ENV_PREFIX = "QATYSU_";
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{(env|file):([^}]+)}$");

    private final JsonNode root;
    private final Map<String, String> env;
    private final String origin;

    private ConfigSource(JsonNode root, Map<String, String> env, String origin) {
        this.root = root;
        this.env = Map.copyOf(env);
        this.origin = origin;
    }

    /** Reads the YAML file (when given) and keeps the environment for overrides. */
    public static ConfigSource load(Path yamlFile, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        if (yamlFile == null) {
            return new ConfigSource(MissingNode.getInstance(), env, "environment");
        }
        try {
            String text = Files.readString(yamlFile, StandardCharsets.UTF_8);
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(text);
            return new ConfigSource(node == null ? MissingNode.getInstance() : node, env, yamlFile.toString());
        } catch (IOException e) {
            throw new ConfigException(java.util.List.of(new ConfigProblem("--config",
                    "cannot read " + yamlFile + ": " + e.getMessage())));
        }
    }

    public static ConfigSource of(String yaml, Map<String, String> env) {
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            return new ConfigSource(node == null ? MissingNode.getInstance() : node, env, "inline");
        } catch (IOException e) {
            throw new ConfigException(java.util.List.of(new ConfigProblem("<yaml>", e.getMessage())));
        }
    }

    /** Which file (or "environment") this configuration came from, for messages. */
    public String origin() {
        return origin;
    }

    /** The configuration file named by {@code --config <file>} or, failing that, {@code QATYSU_CONFIG}. */
    public static Optional<Path> locate(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.ofNullable(env.get("QATYSU_CONFIG")).filter(s -> !s.isBlank()).map(Path::of);
    }

    /** The environment variable that overrides {@code path}. */
    public static String envName(String path) {
        String s = INDEX.matcher(path).replaceAll(".$1");
        s = s.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_');
        return ENV_PREFIX + s.toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The value at {@code path}, environment first, then the file; empty values count as absent.
     * Throws {@link IllegalArgumentException} when a referenced secret file cannot be read.
     */
    public Optional<String> value(String path) {
        String name = envName(path);
        String fromEnv = env.get(name);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv);
        }
        String fileName = env.get(name + "_FILE");
        if (fileName != null && !fileName.isBlank()) {
            return Optional.of(readSecretFile(fileName, "named by " + name + "_FILE"));
        }
        JsonNode node = node(path);
        if (node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return Optional.empty();
        }
        String text = node.asText();
        if (text.isBlank()) {
            return Optional.empty();
        }
        Matcher m = REFERENCE.matcher(text.trim());
        if (m.matches()) {
            if (m.group(1).equals("env")) {
                return Optional.ofNullable(env.get(m.group(2))).filter(v -> !v.isBlank());
            }
            return Optional.of(readSecretFile(m.group(2), "named in the file"));
        }
        return Optional.of(text);
    }

    /** True when the file has a list or map at {@code path}, or an environment variable sets one of its parts. */
    public boolean isPresent(String path) {
        if (!node(path).isMissingNode() && !node(path).isNull()) {
            return true;
        }
        String prefix = envName(path);
        return env.keySet().stream().anyMatch(k -> k.equals(prefix) || k.startsWith(prefix + "_"));
    }

    /** How many elements the list at {@code path} has, counting indices that only the environment sets. */
    public int size(String path) {
        JsonNode node = node(path);
        int size = node.isArray() ? node.size() : 0;
        String prefix = envName(path) + "_";
        for (String key : env.keySet()) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int end = rest.indexOf('_');
                String digits = end < 0 ? rest : rest.substring(0, end);
                if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit) && digits.length() < 5) {
                    size = Math.max(size, Integer.parseInt(digits) + 1);
                }
            }
        }
        return size;
    }

    /** True when the YAML holds a list at {@code path} whose elements are scalars. */
    public java.util.List<String> scalarList(String path) {
        JsonNode node = node(path);
        var out = new java.util.ArrayList<String>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.isContainerNode() ? n.toString() : n.asText()));
        }
        return out;
    }

    private JsonNode node(String path) {
        JsonNode node = root;
        for (String part : INDEX.matcher(path).replaceAll(".$1").split("\\.")) {
            if (node.isArray() && part.chars().allMatch(Character::isDigit)) {
                node = node.path(Integer.parseInt(part));
            } else {
                node = node.path(part);
            }
        }
        return node;
    }

    private static String readSecretFile(String file, String where) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read secret file " + file + " (" + where + "): " + e.getClass().getSimpleName());
        }
    }
}
