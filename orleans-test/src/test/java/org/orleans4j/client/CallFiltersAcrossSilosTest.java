package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.placement.SiloRoleBasedPlacement;
import org.orleans4j.testing.TestCluster;

/**
 * Call filters and the request context over two silos and a cluster client: the client's outgoing filter
 * sets a value that the grain it calls (on the silo behind the other gateway), a grain on the first silo
 * and a grain called from a continuation all see; each silo's incoming filter sees the calls it runs.
 */
class CallFiltersAcrossSilosTest {

    /** Placed on the silo whose role (its name) is the key. */
    interface Tenant extends GrainWithStringKey {
        /** What this grain, {@code second} and then (from the continuation) a probe keyed {@code third} saw. */
        CompletableFuture<String> relay(String second, String third);

        CompletableFuture<String> tenant();
    }

    interface TenantProbe extends GrainWithStringKey {
        CompletableFuture<String> tenant();
    }

    @SiloRoleBasedPlacement
    public static class TenantImpl extends GrainBase implements Tenant {
        @Override
        public CompletableFuture<String> relay(String second, String third) {
            String mine = String.valueOf(RequestContext.get("tenant"));
            return grainFactory()
                    .getGrain(Tenant.class, second)
                    .tenant()
                    .thenCompose(seen -> grainFactory()
                            .getGrain(TenantProbe.class, third)
                            .tenant()
                            .thenApply(probed -> mine + "," + seen + "," + probed));
        }

        @Override
        public CompletableFuture<String> tenant() {
            return CompletableFuture.completedFuture(String.valueOf(RequestContext.get("tenant")));
        }
    }

    @SiloRoleBasedPlacement
    public static class TenantProbeImpl extends GrainBase implements TenantProbe {
        @Override
        public CompletableFuture<String> tenant() {
            return CompletableFuture.completedFuture(String.valueOf(RequestContext.get("tenant")));
        }
    }

    private final Queue<String> seen = new ConcurrentLinkedQueue<>();
    private TestCluster cluster;
    private ClusterClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClientFiltersValueReachesGrainsOnBothSilosAndTheirContinuationsCalls() {
        int[] index = {0};
        cluster = TestCluster.builder()
                .silos(2)
                .gateways()
                .configure(b -> {
                    String silo = "silo-" + index[0]++;
                    b.addGrainClass(TenantImpl.class)
                            .addGrainClass(TenantProbeImpl.class)
                            .addIncomingCallFilter(call -> {
                                seen.add(silo + ": " + call.interfaceType().getSimpleName() + "."
                                        + call.method().getName() + List.of(call.arguments()) + " on "
                                        + call.grainId().key() + " tenant=" + RequestContext.get("tenant"));
                                return call.proceed();
                            });
                })
                .start();
        cluster.awaitActiveSilos(2, Duration.ofSeconds(30));
        client = ClusterClient.builder()
                .clusterOptions(cluster.silo(0).clusterOptions())
                // Only the first silo's gateway: the call to the grain on the second goes through it.
                .staticGateways(List.of(TestCluster.gatewayEndpoint(cluster.silo(0))))
                .addOutgoingCallFilter(call -> {
                    RequestContext.set("tenant", "acme");
                    try {
                        return call.proceed();
                    } finally {
                        RequestContext.remove("tenant");
                    }
                })
                .build();
        client.connect();

        String result = client.grainFactory()
                .getGrain(Tenant.class, "silo-1")
                .relay("silo-0", "silo-1")
                .join();

        assertThat(result).isEqualTo("acme,acme,acme");
        assertThat(RequestContext.get("tenant")).isNull();
        assertThat(cluster.silosHosting(GrainId.ofString("tenant", "silo-1")))
                .as("the grain the client called lives behind the other gateway")
                .containsExactly(cluster.silo(1));
        assertThat(List.copyOf(seen))
                .containsExactlyInAnyOrder(
                        "silo-1: Tenant.relay[silo-0, silo-1] on silo-1 tenant=acme",
                        "silo-0: Tenant.tenant[] on silo-0 tenant=acme",
                        "silo-1: TenantProbe.tenant[] on silo-1 tenant=acme");
    }
}
