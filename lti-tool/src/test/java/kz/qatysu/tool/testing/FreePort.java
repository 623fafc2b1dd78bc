package kz.qatysu.tool.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A free loopback port, for servers that must know their own URL before they start. */
public final class FreePort {
    private FreePort() {
    }

    public static int find() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
