package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.placement.SiloRoleBasedPlacement;
import org.orleans4j.testing.TestCluster;

/**
 * Grain references as arguments, results and fields of argument records: across silos and through
 * the gateway a reference arrives as a working reference of the receiving side.
 */
class GrainReferencesAcrossSilosTest {

    /** Placed on the silo whose role (its name) is the key. */
    interface Greeter extends GrainWithStringKey {
        CompletableFuture<String> hello();
    }

    /** Several references in one argument. */
    record Audience(String topic, List<Greeter> greeters) {}

    interface Relay extends GrainWithStringKey {
        /** Calls {@code greeter} from this grain's silo. */
        CompletableFuture<String> callThrough(Greeter greeter);

        /** Returns the reference it was given. */
        CompletableFuture<Greeter> echo(Greeter greeter);

        /** Calls every greeter of the audience. */
        CompletableFuture<List<String>> callAll(Audience audience);

        /** A reference made here, to the greeter {@code key}. */
        CompletableFuture<Greeter> greeter(String key);
    }

    @SiloRoleBasedPlacement
    public static class GreeterImpl extends GrainBase implements Greeter {
        @Override
        public CompletableFuture<String> hello() {
            return CompletableFuture.completedFuture("hello from " + primaryKeyString());
        }
    }

    @SiloRoleBasedPlacement
    public static class RelayImpl extends GrainBase implements Relay {
        @Override
        public CompletableFuture<String> callThrough(Greeter greeter) {
            return greeter.hello().thenApply(hello -> primaryKeyString() + " heard: " + hello);
        }

        @Override
        public CompletableFuture<Greeter> echo(Greeter greeter) {
            return CompletableFuture.completedFuture(greeter);
        }

        @Override
        public CompletableFuture<List<String>> callAll(Audience audience) {
            List<CompletableFuture<String>> calls =
                    audience.greeters().stream().map(Greeter::hello).toList();
            return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .thenApply(done -> calls.stream()
                            .map(call -> audience.topic() + ": " + call.join())
                            .toList());
        }

        @Override
        public CompletableFuture<Greeter> greeter(String key) {
            return CompletableFuture.completedFuture(grainFactory().getGrain(Greeter.class, key));
        }
    }

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
    void referencesCrossSilosAndTheGatewayAsWorkingReferences() {
        cluster = TestCluster.builder()
                .silos(2)
                .gateways()
                .configure(b -> b.addGrainClass(GreeterImpl.class).addGrainClass(RelayImpl.class))
                .start();
        cluster.awaitActiveSilos(2, Duration.ofSeconds(30));

        // Silo to silo: a reference made on silo-0 is called from silo-1, and comes back as a result.
        Greeter onSilo0 = cluster.grainFactory(0).getGrain(Greeter.class, "silo-0");
        Relay onSilo1 = cluster.grainFactory(0).getGrain(Relay.class, "silo-1");
        assertThat(onSilo1.callThrough(onSilo0).join()).isEqualTo("silo-1 heard: hello from silo-0");
        Greeter echoed = onSilo1.echo(onSilo0).join();
        assertThat(echoed).isEqualTo(onSilo0);
        assertThat(echoed.hello().join()).isEqualTo("hello from silo-0");
        assertThat(onSilo1.greeter("silo-1").join().hello().join()).isEqualTo("hello from silo-1");
        assertThat(onSilo1.callAll(new Audience(
                                "news", List.of(onSilo0, cluster.grainFactory(0).getGrain(Greeter.class, "silo-1"))))
                        .join())
                .containsExactly("news: hello from silo-0", "news: hello from silo-1");
        assertThat(cluster.silosHosting(GrainId.ofString("relay", "silo-1"))).containsExactly(cluster.silo(1));

        // Client to gateway to grain: the client's reference, and one the grain returns.
        client = cluster.connectClient(0);
        Greeter fromClient = client.grainFactory().getGrain(Greeter.class, "silo-0");
        Relay relay = client.grainFactory().getGrain(Relay.class, "silo-1");
        assertThat(relay.callThrough(fromClient).join()).isEqualTo("silo-1 heard: hello from silo-0");
        Greeter madeBySilo = relay.greeter("silo-1").join();
        assertThat(madeBySilo.hello().join()).isEqualTo("hello from silo-1");
        assertThat(relay.echo(fromClient).join()).isEqualTo(fromClient);
    }
}
