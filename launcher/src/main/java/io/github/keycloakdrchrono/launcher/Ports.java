package io.github.keycloakdrchrono.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports for servers we start. */
final class Ports {

    private Ports() {
    }

    /**
     * Returns the requested ports with every 0 replaced by a free port. All sockets stay open until every
     * port is chosen, so two zeros never come back as the same port.
     */
    static int[] resolve(int... requested) {
        List<ServerSocket> held = new ArrayList<>();
        int[] resolved = requested.clone();
        try {
            for (int i = 0; i < resolved.length; i++) {
                if (resolved[i] == 0) {
                    ServerSocket socket = new ServerSocket(0);
                    held.add(socket);
                    resolved[i] = socket.getLocalPort();
                }
            }
            return resolved;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // The port was only probed; nothing is lost if closing it complains.
                }
            }
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
