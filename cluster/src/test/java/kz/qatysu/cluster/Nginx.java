package kz.qatysu.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx running {@code config/nginx/qatysu.conf}, the example an administrator copies: the test renders only
 * the node addresses, the listen ports, the server name and the certificate paths into a copy, and adds
 * {@code proxy_bind 127.0.0.2} so the nodes see the proxy at an address of its own (the one in
 * {@code http.trustedProxies}) while the test's direct requests come from 127.0.0.1. A second TLS port in front of
 * node A alone serves the one-node figures of the class-start measurement.
 */
final class Nginx implements AutoCloseable {
    static final String PROXY_ADDRESS = "127.0.0.2";

    final int httpsPort;
    final int httpPort;
    final int oneNodePort;
    private final Process process;
    private final Path dir;

    private Nginx(int httpsPort, int httpPort, int oneNodePort, Process process, Path dir) {
        this.httpsPort = httpsPort;
        this.httpPort = httpPort;
        this.oneNodePort = oneNodePort;
        this.process = process;
        this.dir = dir;
    }

    static Path exampleConfig() {
        Path p = Path.of("..", "config", "nginx", "qatysu.conf").toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("the example nginx configuration is missing: " + p);
        }
        return p;
    }

    /** The example configuration with this run's nodes, ports and certificate: what an administrator would edit. */
    static String render(String example, int nodeA, int nodeB, int httpsPort, int httpPort, int oneNodePort, TestCa ca) {
        String site = replace(example, "server 10.0.0.11:8080", "server 127.0.0.1:" + nodeA);
        site = replace(site, "server 10.0.0.12:8080", "server 127.0.0.1:" + nodeB);
        site = replace(site, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        site = replace(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + httpsPort + " ssl http2;");
        site = site.replace("server_name qatysu.univ.kz;", "server_name localhost;");
        site = replace(site, "/etc/ssl/qatysu/fullchain.pem", ca.serverCert.toString());
        site = replace(site, "/etc/ssl/qatysu/privkey.pem", ca.serverKey.toString());
        site = replace(site, "proxy_pass http://qatysu_tool;", "proxy_pass http://qatysu_tool;\n        proxy_bind " + PROXY_ADDRESS + ";");
        // the same TLS server in front of node A alone (the one-node figures of the class start)
        int tls = site.indexOf("server {", site.indexOf("listen 127.0.0.1:" + httpPort) + 1);
        String oneNode = site.substring(tls)
                .replace("listen 127.0.0.1:" + httpsPort + " ssl http2;", "listen 127.0.0.1:" + oneNodePort + " ssl http2;")
                .replace("proxy_pass http://qatysu_tool;", "proxy_pass http://qatysu_one;");
        return site + "\nupstream qatysu_one {\n    server 127.0.0.1:" + nodeA + ";\n    keepalive 32;\n}\n" + oneNode;
    }

    private static String replace(String text, String what, String with) {
        if (!text.contains(what)) {
            throw new AssertionError("config/nginx/qatysu.conf no longer contains '" + what + "': update Nginx.render");
        }
        return text.replace(what, with);
    }

    static Nginx start(Path dir, int nodeA, int nodeB, TestCa ca, int https) throws Exception {
        Files.createDirectories(dir.resolve("temp"));
        // the workers (www-data under root) write request bodies to the temp folders
        Files.setPosixFilePermissions(dir.resolve("temp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int http = Commands.freePort();
        int one = Commands.freePort();
        Files.writeString(dir.resolve("qatysu.conf"), render(Files.readString(exampleConfig()), nodeA, nodeB, https, http, one, ca));
        String temp = dir.resolve("temp").toString();
        Files.writeString(dir.resolve("nginx.conf"), (Commands.root() ? "user www-data;\n" : "") + """
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    include %1$s/qatysu.conf;
                }
                """.formatted(dir, temp));
        Commands.run(dir, List.of(Commands.NGINX.toString(), "-t", "-q", "-e", dir.resolve("error.log").toString(),
                "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()));
        Process p = new ProcessBuilder(Commands.NGINX.toString(), "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        Nginx nginx = new Nginx(https, http, one, p, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("error.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", https), 200);
                return nginx;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + https);
    }

    String baseUrl() {
        return "https://localhost:" + httpsPort;
    }

    String oneNodeUrl() {
        return "https://localhost:" + oneNodePort;
    }

    String errorLog() throws IOException {
        return Files.readString(dir.resolve("error.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: fast shutdown of master and workers
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
