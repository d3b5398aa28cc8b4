package org.orleans4j.spring.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A gateway address that the client could not use fails startup, naming the property of the list
 * entry, before any connection is tried: the properties parse gateways as the client does.
 */
class ClusterClientGatewaysPropertyTest {

    private final ApplicationContextRunner client = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(OrleansAutoConfiguration.class, ClusterClientAutoConfiguration.class))
            .withPropertyValues("orleans.client.enabled=true");

    @Test
    void aBareIpv6GatewayFailsStartupNamingTheEntryAndAskingForBrackets() {
        client.withPropertyValues("orleans.client.gateways=127.0.0.1:30000,::1:30000")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.client.gateways[1]")
                            .hasMessageContaining("'::1:30000'")
                            .hasMessageContaining("[::1]:30000");
                });
    }

    @Test
    void aGatewayWithABadPortFailsStartupNamingTheEntry() {
        client.withPropertyValues("orleans.client.gateways[0]=gw:0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.client.gateways[0]")
                    .hasMessageContaining("'gw:0'");
        });
    }

    @Test
    void anIpv6GatewayInBracketsIsAccepted() {
        ClusterClientProperties properties =
                new ClusterClientProperties(true, List.of(" [::1]:30000 ", ""), null, null, Duration.ofMinutes(1));
        assertThat(properties.gateways()).containsExactly("[::1]:30000");
    }
}
