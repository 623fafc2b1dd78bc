package kz.qatysu.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed access to a {@link ConfigSource}. A getter never throws on bad input: it records a problem naming
 * the key and what was expected, and returns the default (or empty), so that binding continues and start-up
 * can report every problem at once.
 */
public final class ConfigReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final ConfigSource source;
    private final ConfigProblems problems;

    public ConfigReader(ConfigSource source, ConfigProblems problems) {
        this.source = source;
        this.problems = problems;
    }

    public ConfigProblems problems() {
        return problems;
    }

    public ConfigSource source() {
        return source;
    }

    public void problem(String path, String problem) {
        problems.add(path, problem);
    }

    public Optional<String> optionalString(String path) {
        try {
            return source.value(path).map(String::strip);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }

    public String string(String path, String defaultValue) {
        return optionalString(path).orElse(defaultValue);
    }

    public String requiredString(String path) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            problems.add(path, "required");
            return null;
        }
        return v.get();
    }

    public Optional<Secret> optionalSecret(String path) {
        return optionalString(path).map(Secret::new);
    }

    public int integer(String path, int defaultValue, int min, int max) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                problems.add(path, "must be between " + min + " and " + max + ", was " + n);
                return defaultValue;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(path, "not an integer: '" + v.get() + "'");
            return defaultValue;
        }
    }

    public double decimal(String path, double defaultValue, double min, double max) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            double n = Double.parseDouble(v.get());
            if (!(n >= min && n <= max)) {
                problems.add(path, "must be between " + min + " and " + max + ", was " + v.get());
                return defaultValue;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(path, "not a number: '" + v.get() + "'");
            return defaultValue;
        }
    }

    public boolean bool(String path, boolean defaultValue) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> {
                problems.add(path, "not a boolean (true/false): '" + v.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT30S}. */
    public Duration duration(String path, Duration defaultValue) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().toLowerCase(Locale.ROOT);
        var m = DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v.get());
        } catch (RuntimeException e) {
            problems.add(path, "not a duration (e.g. 30s, 5m, 2h, PT30S): '" + v.get() + "'");
            return defaultValue;
        }
    }

    public <E extends Enum<E>> E enumValue(String path, Class<E> type, E defaultValue) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.get().replace('-', '_'))) {
                return e;
            }
        }
        problems.add(path, "one of " + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                + " expected, was '" + v.get() + "'");
        return defaultValue;
    }

    public ZoneId zone(String path, ZoneId defaultValue) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return ZoneId.of(v.get());
        } catch (RuntimeException e) {
            problems.add(path, "not a time zone id (e.g. Asia/Almaty): '" + v.get() + "'");
            return defaultValue;
        }
    }

    public Path path(String path, Path defaultValue) {
        return optionalString(path).map(Path::of).orElse(defaultValue);
    }

    /** An absolute http(s) URL; when {@code httpsRequired}, plain http is accepted only for loopback hosts. */
    public Optional<URI> url(String path, boolean httpsRequired) {
        Optional<String> v = optionalString(path);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String problem = urlProblem(v.get(), httpsRequired);
        if (problem != null) {
            problems.add(path, problem);
            return Optional.empty();
        }
        return Optional.of(URI.create(v.get()));
    }

    public URI requiredUrl(String path, boolean httpsRequired) {
        Optional<String> raw = optionalString(path);
        if (raw.isEmpty()) {
            problems.add(path, "required (an " + (httpsRequired ? "https" : "http(s)") + " URL)");
            return null;
        }
        return url(path, httpsRequired).orElse(null);
    }

    /** A list given either as a YAML list or as a comma-separated string (the environment form). */
    public List<String> stringList(String path) {
        Optional<String> v = optionalString(path);
        if (v.isPresent()) {
            return Arrays.stream(v.get().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        for (String s : source.scalarList(path)) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        int size = source.size(path);
        for (int i = out.size(); i < size; i++) {
            optionalString(path + "[" + i + "]").ifPresent(out::add);
        }
        return out;
    }

    public int size(String path) {
        return source.size(path);
    }

    public boolean isPresent(String path) {
        return source.isPresent(path);
    }

    /**
     * Why {@code value} is not an acceptable URL, or null when it is. Loopback hosts may use plain http, the way
     * OAuth treats loopback redirect URIs (RFC 8252 §7.3), for tests, demos and same-host platforms.
     */
    public static String urlProblem(String value, boolean httpsRequired) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "not a URL: '" + value + "'";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return "not an absolute http(s) URL: '" + value + "'";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain user credentials";
        }
        if (httpsRequired && scheme.equals("http") && !isLoopback(uri.getHost())) {
            return "not an https URL (plain http is accepted only for loopback hosts): '" + value + "'";
        }
        return null;
    }

    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
