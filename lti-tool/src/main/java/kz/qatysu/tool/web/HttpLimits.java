package kz.qatysu.tool.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import kz.qatysu.config.ConfigReader;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Duration;

/**
 * How much one client may hold of the tool's HTTP server ({@code http.*}), so that slow or many uploads from one
 * student cannot make {@code /health}, the API and launches time out for everyone:
 *
 * @param idleTimeout           a connection (or a request body) that sends nothing this long is closed
 * @param requestHeaderTimeout  a request whose line and headers are not complete this long after they began is
 *                              closed (slowloris: headers trickled a byte at a time never reach the idle timeout)
 * @param minRequestDataRate    bytes per second a request body must arrive at, averaged over 5 s; a slower one's
 *                              connection is closed (0 = off; see {@link SlowClients})
 * @param maxConcurrentUploads  uploads (excuse documents, participant CSVs) handled at once in the whole tool; kept
 *                              well below the server's 250 threads so other requests always find one
 * @param maxConcurrentUploadsPerSession one course session's uploads at once; more are answered 429
 * @param maxConcurrentUploadsPerAddress one client address's uploads at once (a campus NAT shares one); more are 429
 * @param uploadSlotWait        how long an upload that finds all {@code maxConcurrentUploads} slots taken waits for one
 *                              before it is refused (429, {@code Qatysu-Refused: upload-slots}); at most 5 s, as the
 *                              waiting request holds a server thread
 */
public record HttpLimits(Duration idleTimeout, Duration requestHeaderTimeout, int minRequestDataRate,
                         int maxConcurrentUploads, int maxConcurrentUploadsPerSession, int maxConcurrentUploadsPerAddress,
                         Duration uploadSlotWait) {

    /** Javalin's default Jetty thread pool (at most 250 threads): the upload cap must leave most of it free. */
    static final int MAX_UPLOADS = 200;

    public static HttpLimits read(ConfigReader r) {
        Duration idle = r.duration("http.idleTimeout", Duration.ofSeconds(30));
        if (idle.compareTo(Duration.ofSeconds(1)) < 0 || idle.compareTo(Duration.ofMinutes(10)) > 0) {
            r.problem("http.idleTimeout", "must be between 1s and 10m, was " + idle);
        }
        Duration header = r.duration("http.requestHeaderTimeout", Duration.ofSeconds(10));
        if (header.compareTo(Duration.ofSeconds(1)) < 0 || header.compareTo(Duration.ofMinutes(5)) > 0) {
            r.problem("http.requestHeaderTimeout", "must be between 1s and 5m, was " + header);
        }
        Duration slotWait = r.duration("http.uploadSlotWait", Duration.ofSeconds(1));
        if (slotWait.isNegative() || slotWait.compareTo(Duration.ofSeconds(5)) > 0) {
            r.problem("http.uploadSlotWait", "must be between 0s and 5s, was " + slotWait);
        }
        return new HttpLimits(idle, header,
                r.integer("http.minRequestDataRate", 2048, 0, 10 * 1024 * 1024),
                r.integer("http.maxConcurrentUploads", 32, 1, MAX_UPLOADS),
                r.integer("http.maxConcurrentUploadsPerSession", 2, 1, 100),
                r.integer("http.maxConcurrentUploadsPerAddress", 16, 1, MAX_UPLOADS),
                slotWait);
    }

    /** Applies the limits to Javalin's Jetty server and refuses compressed request bodies. */
    public void apply(JavalinConfig config) {
        config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(idleTimeout.toMillis()));
        config.jetty.modifyServer(server -> {
            // Javalin adds its connector just before starting the server: set its idle timeout then
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    for (Connector c : server.getConnectors()) {
                        if (c instanceof AbstractConnector connector) {
                            connector.setIdleTimeout(idleTimeout.toMillis());
                        }
                    }
                }
            });
            server.addBean(new SlowClients(server, requestHeaderTimeout, minRequestDataRate));
        });
        config.routes.before(HttpLimits::refuseEncodedBodies);
    }

    /**
     * The tool reads request bodies as sent; a compressed one ({@code Content-Encoding: gzip}) would reach the form
     * and JSON parsers as garbage, so it is refused as a whole: 415.
     */
    static void refuseEncodedBodies(Context ctx) {
        String encoding = ctx.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new HttpResponseException(415, "request bodies with Content-Encoding '" + encoding.strip()
                    + "' are not accepted: send the body uncompressed");
        }
    }

    /** For the start-up log: the limits in one line. */
    @Override
    public String toString() {
        return "idleTimeout=" + idleTimeout + ", requestHeaderTimeout=" + requestHeaderTimeout + ", minRequestDataRate="
                + minRequestDataRate + " B/s, uploads at once: " + maxConcurrentUploads + " (per session "
                + maxConcurrentUploadsPerSession + ", per address " + maxConcurrentUploadsPerAddress + "; waiting up to "
                + uploadSlotWait.toMillis() + " ms for a tool-wide slot)";
    }
}
