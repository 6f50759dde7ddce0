package io.scrapeguard.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free and busy ports on the loopback address. */
final class Ports {
    static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /** A port that was free on 127.0.0.1 a moment ago (another process may still take it). */
    static int free() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedStackException("Cannot find a free port on 127.0.0.1: " + e, e);
        }
    }

    /** Fails with what to do when {@code port} (not 0) is taken on 127.0.0.1. */
    static void requireFree(int port, String what) {
        if (port > 0 && inUse(port)) {
            throw new EmbeddedStackException(
                    what
                            + " port "
                            + port
                            + " on 127.0.0.1 is already in use: stop what listens"
                            + " there (ss -ltnp | grep :"
                            + port
                            + ") or choose another port (0"
                            + " picks a free one)");
        }
    }

    /** Whether something accepts or holds {@code port} on 127.0.0.1. */
    static boolean inUse(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
