package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one parser of {@code host:port} addresses: gateways in configuration and in the membership table. */
class HostPortTest {

    @Test
    void parsesAHostNameOrIpv4AddressAndPort() {
        assertThat(HostPort.parse("orleans-gateway:30000")).isEqualTo(new HostPort("orleans-gateway", 30000));
        assertThat(HostPort.parse(" 127.0.0.1:1 ")).isEqualTo(new HostPort("127.0.0.1", 1));
        assertThat(HostPort.parse("10.0.0.7:65535")).isEqualTo(new HostPort("10.0.0.7", 65535));
    }

    @Test
    void parsesAnIpv6AddressInBrackets() {
        HostPort parsed = HostPort.parse("[::1]:30000");
        assertThat(parsed).isEqualTo(new HostPort("::1", 30000));
        assertThat(parsed).hasToString("[::1]:30000");
        assertThat(HostPort.parse("[fe80::1:2]:11111").host()).isEqualTo("fe80::1:2");
    }

    @Test
    void toStringIsReadBackByParse() {
        for (HostPort hostPort :
                new HostPort[] {new HostPort("::1", 30000), new HostPort("host", 7), new HostPort("1.2.3.4", 80)}) {
            assertThat(HostPort.parse(hostPort.toString())).isEqualTo(hostPort);
        }
        assertThat(HostPort.format("::1", 0)).isEqualTo("[::1]:0");
        assertThat(HostPort.format("host", 0)).isEqualTo("host:0");
    }

    @Test
    void rejectsABareIpv6AddressSayingToUseBrackets() {
        assertThatThrownBy(() -> HostPort.parse("::1:30000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'::1:30000'")
                .hasMessageContaining("brackets")
                .hasMessageContaining("[::1]:30000");
    }

    @Test
    void rejectsAMissingOrBadPort() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'127.0.0.1'");
        assertThatThrownBy(() -> HostPort.parse("host:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'host:'");
        assertThatThrownBy(() -> HostPort.parse("host:http"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http'");
        assertThatThrownBy(() -> HostPort.parse("host:0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> HostPort.parse("host:70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 65535");
    }

    @Test
    void rejectsAMissingHost() {
        assertThatThrownBy(() -> HostPort.parse(":30000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse("[]:30000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse("[::1:30000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostPort(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByHostThenPort() {
        assertThat(new HostPort("a", 2)).isLessThan(new HostPort("b", 1));
        assertThat(new HostPort("a", 1)).isLessThan(new HostPort("a", 2));
    }

    @Test
    void aSiloAddressEndpointIsAHostPort() {
        assertThat(HostPort.parse(new SiloAddress("::1", 11111, 5).endpoint())).isEqualTo(new HostPort("::1", 11111));
        assertThat(HostPort.parse(new SiloAddress("10.1.2.3", 11111, 5).endpoint()))
                .isEqualTo(new HostPort("10.1.2.3", 11111));
    }
}
