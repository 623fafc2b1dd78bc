package kz.qatysu.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The process settings of {@code shared/integration/qatysu-api.md}: each a config key and an environment
 * variable ({@code QATYSU_HTTP_PORT}, {@code QATYSU_PUBLIC_URL}, {@code QATYSU_DATA_DIR}, {@code QATYSU_DB_URL}
 * with {@code _USER} / {@code _PASSWORD}, {@code QATYSU_ADMIN_TOKEN}), and {@code http.host}
 * ({@code QATYSU_HTTP_HOST}), the address the HTTP server listens on (see {@link #httpHost(ConfigReader, URI)}).
 */
public record ProcessSettings(int httpPort, String httpHost, URI publicUrl, Path dataDir, DatabaseSettings db,
                              Optional<Secret> adminToken) {

    public static final int DEFAULT_PORT = 8080;
    public static final String HTTP_HOST = "http.host";
    public static final String LOOPBACK = "127.0.0.1";
    public static final String ALL_INTERFACES = "0.0.0.0";

    public static ProcessSettings read(ConfigReader r) {
        int port = r.integer("http.port", DEFAULT_PORT, 0, 65535);
        URI publicUrl = r.url("publicUrl", false)
                .map(ProcessSettings::withoutTrailingSlash)
                .orElse(URI.create("http://localhost:" + port));
        String host = httpHost(r, publicUrl);
        Path dataDir = r.path("dataDir", Path.of("data"));
        Optional<Secret> adminToken = r.optionalSecret("admin.token");
        adminToken.ifPresent(t -> {
            if (t.reveal().length() < 16) {
                r.problem("admin.token", "too short: at least 16 characters expected");
            }
        });
        return new ProcessSettings(port, host, publicUrl, dataDir.toAbsolutePath().normalize(), DatabaseSettings.read(r, "db."), adminToken);
    }

    /**
     * {@code http.host}: a literal IP address of this host to listen on ({@code 0.0.0.0} / {@code ::} = every
     * interface). Host names are refused (no lookup at start-up), and so is an address this host does not have: the
     * check binds a throw-away socket to it. Unset, the default follows from where the requests come from:
     * <ul>
     *   <li>{@code http.trustedProxies} set and every entry loopback (nginx on the same host) → {@code 127.0.0.1};</li>
     *   <li>{@code http.trustedProxies} with another address (a proxy on another host) → {@code 0.0.0.0};</li>
     *   <li>no proxy and a loopback {@code publicUrl} (a laptop, {@code ./qatysu demo}) → {@code 127.0.0.1};</li>
     *   <li>no proxy and a public {@code publicUrl} (clients reach the node itself) → {@code 0.0.0.0}.</li>
     * </ul>
     */
    static String httpHost(ConfigReader r, URI publicUrl) {
        Optional<String> configured = r.optionalString(HTTP_HOST);
        if (configured.isEmpty()) {
            List<String> proxies = r.stringList("http.trustedProxies");
            if (!proxies.isEmpty()) {
                return proxies.stream().allMatch(ProcessSettings::loopbackBlock) ? LOOPBACK : ALL_INTERFACES;
            }
            return ConfigReader.isLoopback(publicUrl.getHost()) ? LOOPBACK : ALL_INTERFACES;
        }
        String host = configured.get();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}") || bare.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
        InetAddress address;
        try {
            if (!literal) {
                throw new java.net.UnknownHostException(bare);
            }
            address = InetAddress.getByName(bare);
        } catch (java.net.UnknownHostException e) {
            r.problem(HTTP_HOST, "not a literal IP address (e.g. 127.0.0.1, 10.0.0.11, 0.0.0.0, ::): '" + host + "'");
            return LOOPBACK;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0), 1);
        } catch (IOException e) {
            r.problem(HTTP_HOST, "not an address of this host (" + e.getMessage() + "): '" + host
                    + "'; use one of its own addresses, 127.0.0.1 behind a proxy on this host, or 0.0.0.0 for every interface");
            return LOOPBACK;
        }
        return address.getHostAddress();
    }

    /** The URL at which a program on this host reaches the server: its own address, or loopback when it listens on all. */
    public URI localUrl() {
        boolean wildcard = httpHost.equals(ALL_INTERFACES) || httpHost.equals("0:0:0:0:0:0:0:0");
        String host = wildcard ? LOOPBACK : httpHost.contains(":") ? "[" + httpHost + "]" : httpHost;
        return URI.create("http://" + host + ":" + httpPort);
    }

    /** An entry of {@code http.trustedProxies} (an address or CIDR block) that contains loopback addresses only. */
    private static boolean loopbackBlock(String entry) {
        int slash = entry.indexOf('/');
        String base = slash < 0 ? entry : entry.substring(0, slash);
        if (!ConfigReader.isLoopback(base)) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        try {
            int bits = Integer.parseInt(entry.substring(slash + 1).strip());
            return base.contains(":") ? bits == 128 : bits >= 8;
        } catch (NumberFormatException e) {
            return false; // the tool refuses the entry itself, naming http.trustedProxies
        }
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    @Override
    public String toString() {
        return "ProcessSettings[httpHost=" + httpHost + ", httpPort=" + httpPort + ", publicUrl=" + publicUrl + ", dataDir=" + dataDir
                + ", db=" + db + ", adminToken=" + adminToken.map(t -> "<masked>").orElse("<unset>") + "]";
    }
}
