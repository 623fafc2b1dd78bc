package kz.qatysu.tool.web;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes the connections of clients that send too slowly, which Jetty's idle timeout never does because it restarts
 * with every byte. A sweep every second looks at each HTTP/1.1 connection's parser:
 * <ul>
 *   <li>a request head (request line and headers) still incomplete {@code headerTimeout} after it began is closed
 *       (slowloris);</li>
 *   <li>a request body that arrives at less than {@code minDataRate} bytes per second over a window of
 *       {@link #BODY_WINDOW} is closed (a trickled upload). Only time in which the tool waits for the client counts:
 *       while bytes the tool has not read yet are buffered, the window starts again.</li>
 * </ul>
 * Jetty's own {@code HttpConfiguration.setMinRequestDataRate} is not used: it measures from the first read of the
 * body, so a small JSON body whose handler pauses 50 ms between reads (a busy CPU) already fails it with a 408.
 */
final class SlowClients extends AbstractLifeCycle {
    static final Duration BODY_WINDOW = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(SlowClients.class);

    private final Server server;
    private final long headerTimeoutNanos;
    private final long minDataRate;
    private final long sweepMillis;
    private final Map<EndPoint, Watch> watched = new ConcurrentHashMap<>();

    /** Since when a connection has been in its current phase, and its byte count then. */
    private record Watch(boolean body, long sinceNanos, long bytesIn) {
    }

    SlowClients(Server server, Duration headerTimeout, long minDataRate) {
        this.server = server;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.minDataRate = minDataRate;
        this.sweepMillis = Math.max(100, Math.min(1000, headerTimeout.toMillis() / 4));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        schedule();
    }

    @Override
    protected void doStop() throws Exception {
        watched.clear();
        super.doStop();
    }

    private void schedule() {
        Scheduler scheduler = server.getScheduler();
        if (isRunning() && scheduler != null && scheduler.isRunning()) {
            scheduler.schedule(this::sweepAndReschedule, sweepMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweepAndReschedule() {
        try {
            sweep(System.nanoTime());
        } catch (RuntimeException e) {
            log.warn("slow client sweep failed: {}", e.toString());
        } finally {
            schedule();
        }
    }

    void sweep(long now) {
        Set<EndPoint> seen = new HashSet<>();
        int slowHeads = 0;
        int slowBodies = 0;
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                // HttpConnection is Jetty's HTTP/1.1 connection; its parser tells which part of a request is pending
                if (!(endPoint.getConnection() instanceof HttpConnection http)) {
                    continue;
                }
                HttpParser parser = http.getParser();
                boolean head = parser.inHeaderState() && !parser.isStart(); // START: an idle keep-alive connection
                // an empty body (Content-Length: 0) has arrived whole: the parser stays in its content state until the
                // handler asks for the body, and a handler working longer than the window must not lose its answer
                boolean body = minDataRate > 0 && parser.inContentState() && parser.getContentLength() != 0;
                if (!head && !body) {
                    continue;
                }
                seen.add(endPoint);
                long bytesIn = http.getBytesIn();
                Watch w = watched.get(endPoint);
                if (w == null || w.body() != body || (body && !http.isRequestBufferEmpty())) {
                    // a new phase, or the tool has not read what arrived: the client is not the slow one
                    watched.put(endPoint, new Watch(body, now, bytesIn));
                    continue;
                }
                long elapsed = now - w.sinceNanos();
                if (head && elapsed > headerTimeoutNanos) {
                    endPoint.close(new TimeoutException("request head not complete within "
                            + TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos) + " ms"));
                    slowHeads++;
                } else if (body && elapsed >= BODY_WINDOW.toNanos()) {
                    long rate = (bytesIn - w.bytesIn()) * 1_000_000_000L / elapsed;
                    if (rate < minDataRate) {
                        endPoint.close(new TimeoutException("request body arrives at " + rate + " B/s, less than " + minDataRate));
                        slowBodies++;
                    } else {
                        watched.put(endPoint, new Watch(true, now, bytesIn));
                    }
                }
            }
        }
        watched.keySet().retainAll(seen);
        if (slowHeads + slowBodies > 0) {
            log.info("closed {} connection(s) with a request head incomplete after {} ms and {} with a body slower than {} B/s",
                    slowHeads, TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos), slowBodies, minDataRate);
        }
    }
}
