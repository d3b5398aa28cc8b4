package org.orleans4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsAreDistinctAndBindable() throws IOException {
        int[] ports = FreePorts.allocate(20);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(20);
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    @Test
    void portsAreOutsideTheEphemeralRangeThatOutgoingConnectionsUse() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralLow = Integer.MAX_VALUE;
        if (Files.isReadable(range)) {
            try (BufferedReader reader = Files.newBufferedReader(range)) {
                ephemeralLow = Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
            }
        }
        assertThat(ephemeralLow).as("the ephemeral range's low bound").isGreaterThan(1024);

        int finalLow = ephemeralLow;
        assertThat(Arrays.stream(FreePorts.allocate(5)).boxed().toList())
                .allSatisfy(port -> assertThat(port).isBetween(1024, Math.min(65535, finalLow - 1)));
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThatThrownBy(() -> FreePorts.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
