package io.github.keycloakdrchrono.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Ports")
class PortsTest {

    @Nested
    @DisplayName("resolve")
    class Resolve {

        @Test
        @DisplayName("replaces each 0 by a different free port")
        void picksDistinctFreePorts() {
            int[] ports = Ports.resolve(0, 0, 0);

            assertThat(ports).doesNotHaveDuplicates().hasSize(3);
            for (int port : ports) {
                assertThat(port).isBetween(1, 65535);
                assertThat(Ports.isFree(port)).isTrue();
            }
        }

        @Test
        @DisplayName("keeps ports that were asked for")
        void keepsFixedPorts() {
            assertThat(Ports.resolve(8080, 0)).startsWith(8080).hasSize(2).doesNotContain(0);
        }
    }

    @Test
    @DisplayName("isFree tells a taken port from a free one")
    void isFree() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            assertThat(Ports.isFree(port)).isFalse();
        }
        assertThat(Ports.isFree(port)).isTrue();
    }
}
