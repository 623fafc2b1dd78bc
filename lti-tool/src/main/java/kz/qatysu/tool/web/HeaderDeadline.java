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
 * Closes connections whose request line and headers are still incomplete {@code timeout} after they began. Jetty
 * has no such limit: its idle timeout restarts with every byte, so headers trickled a byte every few seconds
 * (slowloris) would hold a connection for ever. A sweep every second looks at each connection's HTTP parser; one
 * seen in the middle of a request head longer than the timeout is closed.
 */
final class HeaderDeadline extends AbstractLifeCycle {
    private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

    private final Server server;
    private final long timeoutNanos;
    private final long sweepMillis;
    private final Map<EndPoint, Long> inHeadSince = new ConcurrentHashMap<>();

    HeaderDeadline(Server server, Duration timeout) {
        this.server = server;
        this.timeoutNanos = timeout.toNanos();
        this.sweepMillis = Math.max(100, Math.min(1000, timeout.toMillis() / 4));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        schedule();
    }

    @Override
    protected void doStop() throws Exception {
        inHeadSince.clear();
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
            log.warn("request header deadline sweep failed: {}", e.toString());
        } finally {
            schedule();
        }
    }

    void sweep(long now) {
        Set<EndPoint> inHead = new HashSet<>();
        int closed = 0;
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                // HttpConnection is Jetty's HTTP/1.1 connection; its parser tells whether a request head is pending
                if (!(endPoint.getConnection() instanceof HttpConnection http) || !inRequestHead(http.getParser())) {
                    continue;
                }
                inHead.add(endPoint);
                long since = inHeadSince.computeIfAbsent(endPoint, e -> now);
                if (now - since > timeoutNanos) {
                    endPoint.close(new TimeoutException("request line and headers not complete within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                    inHead.remove(endPoint);
                    closed++;
                }
            }
        }
        inHeadSince.keySet().retainAll(inHead);
        if (closed > 0) {
            log.info("closed {} connection(s) whose request headers were not complete within {} ms", closed,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
    }

    /** Some of a request head has arrived, not all of it (an idle keep-alive connection is at START). */
    private static boolean inRequestHead(HttpParser parser) {
        return parser.inHeaderState() && !parser.isStart();
    }
}
