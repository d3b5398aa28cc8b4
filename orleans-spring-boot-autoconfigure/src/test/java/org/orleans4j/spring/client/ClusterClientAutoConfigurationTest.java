package org.orleans4j.spring.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.autoconfigure.ReadinessDrainLifecycle;
import org.orleans4j.spring.client.app.ClientTestApplication;
import org.orleans4j.spring.client.app.EchoGrain;
import org.orleans4j.spring.client.app.EchoGrainImpl;
import org.orleans4j.spring.jdbc.JdbcGrainStorageAutoConfiguration;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.membership.JdbcMembershipTable;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.testing.db.H2Databases;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Client mode of the starter against a real silo with a gateway in this JVM: which beans exist in
 * each mode, how the client finds the gateways, and which bad settings fail startup.
 */
class ClusterClientAutoConfigurationTest {

    private static GatewaySilos.GatewaySilo silo;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class,
                    JdbcGrainStorageAutoConfiguration.class,
                    JdbcClusteringAutoConfiguration.class,
                    OrleansAutoConfiguration.class,
                    ClusterClientAutoConfiguration.class))
            .withUserConfiguration(ClientTestApplication.class)
            .withPropertyValues(
                    "orleans.cluster.service-id=" + GatewaySilos.SERVICE_ID,
                    "orleans.cluster.cluster-id=" + GatewaySilos.CLUSTER_ID);

    private final ApplicationContextRunner client = runner.withPropertyValues("orleans.client.enabled=true");

    @BeforeAll
    static void startSilo() {
        silo = GatewaySilos.standalone("gateway-silo");
    }

    @AfterAll
    static void stopSilo() {
        if (silo != null) {
            silo.close();
        }
    }

    private static String h2() {
        return H2Databases.springDataSourceUrl("client");
    }

    @Test
    void clientModeConnectsThroughTheGatewayAndHostsNoSilo() {
        ClusterClient[] connected = new ClusterClient[1];
        client.withPropertyValues("orleans.client.gateways=" + silo.gateway(), h2())
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(ClusterClient.class)
                            .hasSingleBean(GrainFactory.class)
                            .hasSingleBean(ClusterClientLifecycle.class)
                            .hasSingleBean(ReadinessDrainLifecycle.class)
                            .doesNotHaveBean(Silo.class)
                            .doesNotHaveBean(GrainStorage.class)
                            .doesNotHaveBean(MembershipTable.class)
                            .doesNotHaveBean(EchoGrainImpl.class);
                    ClusterClient clusterClient = context.getBean(ClusterClient.class);
                    connected[0] = clusterClient;
                    assertThat(clusterClient.isConnected()).isTrue();
                    assertThat(clusterClient.connectedGateways()).containsExactly(silo.gateway());
                    assertThat(context.getBean(ClientGrainInterfaces.class).interfaces())
                            .containsExactly(EchoGrain.class);

                    GrainFactory grains = context.getBean(GrainFactory.class);
                    assertThat(grains.getGrain(EchoGrain.class, "a")
                                    .echo("hello")
                                    .join())
                            .isEqualTo("a: hello");
                    assertThat(silo.silo().catalog().activationCount())
                            .as("the grain runs on the silo")
                            .isPositive();
                });
        assertThat(connected[0].isConnected()).as("closed with the context").isFalse();
    }

    @Test
    void siloModeByDefaultHasNoClient() {
        runner.withPropertyValues("orleans.endpoints.silo-port=0", "orleans.endpoints.gateway-port=0")
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(Silo.class)
                            .doesNotHaveBean(ClusterClient.class)
                            .doesNotHaveBean(ClientGrainInterfaces.class);
                    assertThat(context.getBean(GrainFactory.class)
                                    .getGrain(EchoGrain.class, "b")
                                    .echo("x")
                                    .join())
                            .isEqualTo("b: x");
                });
    }

    @Test
    void withoutGatewaysTheClientReadsThemFromTheMembershipTable() {
        String url = H2Databases.url("client-table");
        try (GatewaySilos.GatewaySilo clustered = GatewaySilos.clustered("table-silo", url)) {
            client.withPropertyValues(
                            "spring.datasource.url=" + url,
                            "spring.datasource.username=sa",
                            // Switched on for silos; in client mode the client reads the table on its own.
                            "orleans.clustering.enabled=true")
                    .run(context -> {
                        assertThat(context)
                                .hasNotFailed()
                                .hasSingleBean(JdbcMembershipTable.class)
                                .doesNotHaveBean(Silo.class);
                        ClusterClient clusterClient = context.getBean(ClusterClient.class);
                        assertThat(clusterClient.connectedGateways()).containsExactly(clustered.gateway());
                        assertThat(context.getBean(GrainFactory.class)
                                        .getGrain(EchoGrain.class, "t")
                                        .echo("table")
                                        .join())
                                .isEqualTo("t: table");
                    });
        }
    }

    @Test
    void clientIdsDefaultToTheClusterPropertiesAndCanBeSetApart() {
        client.withPropertyValues("orleans.client.gateways=" + silo.gateway()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ClusterClient.class).clusterOptions().clusterId())
                    .isEqualTo(GatewaySilos.CLUSTER_ID);
        });
        client.withPropertyValues(
                        "orleans.client.gateways=" + silo.gateway(),
                        "orleans.cluster.service-id=mine",
                        "orleans.cluster.cluster-id=mine",
                        "orleans.client.service-id=" + GatewaySilos.SERVICE_ID,
                        "orleans.client.cluster-id=" + GatewaySilos.CLUSTER_ID)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ClusterClient.class)
                                    .clusterOptions()
                                    .serviceId())
                            .isEqualTo(GatewaySilos.SERVICE_ID);
                });
    }

    @Test
    void aWrongClusterIdFailsStartupNamingTheClientsIdButLearningNoneOfTheCluster() {
        client.withPropertyValues("orleans.client.gateways=" + silo.gateway(), "orleans.client.cluster-id=green")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("cluster 'green'")
                            .hasMessageContaining("does not belong to service")
                            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(GatewaySilos.CLUSTER_ID));
                });
        assertThat(silo.silo()
                        .grainFactory()
                        .getGrain(EchoGrain.class, "still")
                        .echo("up")
                        .join())
                .as("the silo keeps serving")
                .isEqualTo("still: up");
    }

    @Test
    void aGatewayWithoutPortFailsStartupNamingTheProperty() {
        client.withPropertyValues("orleans.client.gateways=127.0.0.1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("orleans.client.gateways")
                    .hasMessageContaining("'127.0.0.1'");
        });
    }

    @Test
    void aGatewayPortOutOfRangeFailsStartupNamingTheProperty() {
        client.withPropertyValues("orleans.client.gateways=" + silo.gateway() + ",gw:70000")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.client.gateways")
                            .hasMessageContaining("'gw:70000'");
                });
    }

    @Test
    void noGatewaysAndNoDataSourceFailsStartupNamingTheProperty() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ClusterClientAutoConfiguration.class))
                .withUserConfiguration(ClientTestApplication.class)
                .withPropertyValues("orleans.client.enabled=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.client.gateways")
                            .hasMessageContaining("DataSource");
                });
    }

    @Test
    void aBlankClusterIdFailsStartupNamingTheProperty() {
        client.withPropertyValues("orleans.client.gateways=" + silo.gateway(), "orleans.client.cluster-id= ")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.client.cluster-id");
                });
    }

    @Test
    void aZeroRefreshPeriodFailsStartupNamingTheProperty() {
        client.withPropertyValues(
                        "orleans.client.gateways=" + silo.gateway(), "orleans.client.gateway-refresh-period=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("orleans.client.gateway-refresh-period");
                });
    }
}
