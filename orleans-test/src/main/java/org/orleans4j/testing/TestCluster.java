package org.orleans4j.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.orleans4j.catalog.internal.GrainStorageRegistry;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.directory.internal.DistributedGrainDirectory;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.membership.InMemoryMembershipTable;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.MemoryGrainStorage;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;

/**
 * Several silos in this JVM, each with real messaging on a free loopback port (and, if asked, a
 * gateway for cluster clients on another), sharing one
 * membership table and one grain storage (so state survives a grain moving between silos). For
 * multi-silo tests of grains: {@code try (TestCluster cluster = TestCluster.builder().silos(3)
 * .configure(b -> b.addGrainClass(MyGrain.class)).start()) { ... }}. Membership timing is fast
 * (a silent silo is declared dead within a few seconds).
 */
public final class TestCluster implements AutoCloseable {

    /** Probing every 500 ms, dead after 3 missed probes; refresh and IAmAlive every second. */
    public static final MembershipOptions FAST_MEMBERSHIP = new MembershipOptions(
            Duration.ofMillis(500),
            3,
            10,
            2,
            Duration.ofMinutes(2),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofDays(7));

    private final Builder settings;
    private final List<Silo> silos = new CopyOnWriteArrayList<>();
    private int started;

    private TestCluster(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts one more silo and waits until it is Active. */
    public Silo startSilo() {
        return startSilo(b -> {});
    }

    /**
     * Starts one more silo, configured as the others and then by {@code extra} (a grain class only it has,
     * say: a silo of a newer build), and waits until it is Active.
     */
    public Silo startSilo(Consumer<SiloBuilder> extra) {
        int index = started++;
        // A gateway port must be known before binding (0 means no gateway), so a free one is picked.
        int gatewayPort = settings.gateways ? FreePorts.allocate(1)[0] : 0;
        SiloBuilder builder = Silo.builder()
                .clusterOptions(settings.cluster)
                .siloOptions(new SiloOptions("silo-" + index, null))
                .endpointOptions(new EndpointOptions(0, gatewayPort, "127.0.0.1", "127.0.0.1"))
                .membershipTable(settings.table)
                .membershipOptions(settings.membership)
                .storage(GrainStorageRegistry.DEFAULT_NAME, settings.storage);
        settings.configure.accept(builder);
        extra.accept(builder);
        Silo silo = builder.build();
        try {
            silo.start();
        } catch (RuntimeException e) {
            silo.kill();
            throw e;
        }
        silos.add(silo);
        return silo;
    }

    public List<Silo> silos() {
        return List.copyOf(silos);
    }

    public Silo silo(int index) {
        return silos.get(index);
    }

    public GrainFactory grainFactory(int index) {
        return silo(index).grainFactory();
    }

    /** {@code host:port} of the gateways of the silos still running (none unless the builder asked for {@link Builder#gateways()}). */
    public List<String> gatewayEndpoints() {
        List<String> endpoints = new ArrayList<>();
        for (Silo silo : silos) {
            if (silo.status() != SiloStatus.DEAD && silo.gatewayPort() > 0) {
                endpoints.add(gatewayEndpoint(silo));
            }
        }
        return endpoints;
    }

    /**
     * A cluster client connected through silo {@code index}'s gateway only (the cluster must have
     * {@linkplain Builder#gateways() gateways}): calls to grains on other silos pass through that silo. The
     * caller closes it.
     */
    public ClusterClient connectClient(int index) {
        ClusterClient client = ClusterClient.builder()
                .clusterOptions(silo(index).clusterOptions())
                .staticGateways(List.of(gatewayEndpoint(silo(index))))
                .build();
        try {
            client.connect();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** {@code host:port} of one silo's gateway. */
    public static String gatewayEndpoint(Silo silo) {
        return silo.address().host() + ":" + silo.gatewayPort();
    }

    public MembershipTable membershipTable() {
        return settings.table;
    }

    public GrainStorage storage() {
        return settings.storage;
    }

    /** The silos (not yet stopped) that hold an activation of {@code grainId}. */
    public List<Silo> silosHosting(GrainId grainId) {
        List<Silo> hosts = new ArrayList<>();
        for (Silo silo : silos) {
            if (silo.status() != SiloStatus.DEAD && silo.catalog().get(grainId) != null) {
                hosts.add(silo);
            }
        }
        return hosts;
    }

    /** Waits until every running silo sees exactly {@code count} Active silos. */
    public void awaitActiveSilos(int count, Duration timeout) {
        // The directory ring follows the snapshot a moment later (membership listeners run after it is set).
        await(
                () -> silos.stream()
                        .filter(s -> s.status() == SiloStatus.ACTIVE)
                        .allMatch(s ->
                                s.membership().currentSnapshot().activeSilos().size() == count
                                        && (!(s.grainDirectory() instanceof DistributedGrainDirectory d)
                                                || d.ringSize() == count)),
                timeout,
                count + " Active silos");
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout}. */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        for (Silo silo : silos) {
            if (silo.status() != SiloStatus.DEAD) {
                silo.kill();
            }
        }
    }

    /** What the cluster's silos share and how each is configured. */
    public static final class Builder {
        private int initialSilos = 2;
        private ClusterOptions cluster = new ClusterOptions("test", "test-" + UUID.randomUUID());
        private MembershipTable table = new InMemoryMembershipTable();
        private MembershipOptions membership = FAST_MEMBERSHIP;
        private GrainStorage storage = new MemoryGrainStorage();
        private Consumer<SiloBuilder> configure = b -> {};
        private boolean gateways;

        public Builder silos(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one silo, was " + count);
            }
            this.initialSilos = count;
            return this;
        }

        public Builder clusterOptions(ClusterOptions options) {
            this.cluster = Objects.requireNonNull(options);
            return this;
        }

        public Builder membershipTable(MembershipTable table) {
            this.table = Objects.requireNonNull(table);
            return this;
        }

        public Builder membershipOptions(MembershipOptions options) {
            this.membership = Objects.requireNonNull(options);
            return this;
        }

        public Builder storage(GrainStorage storage) {
            this.storage = Objects.requireNonNull(storage);
            return this;
        }

        /** Gives every silo a gateway for cluster clients, on a free port (by default silos have none). */
        public Builder gateways() {
            this.gateways = true;
            return this;
        }

        /** Applied to every silo's builder: grain classes, options, directors. */
        public Builder configure(Consumer<SiloBuilder> configure) {
            this.configure = Objects.requireNonNull(configure);
            return this;
        }

        /** Starts the silos one after the other and waits until all see each other Active. */
        public TestCluster start() {
            TestCluster cluster = new TestCluster(this);
            try {
                for (int i = 0; i < initialSilos; i++) {
                    cluster.startSilo();
                }
                cluster.awaitActiveSilos(initialSilos, Duration.ofSeconds(30));
            } catch (RuntimeException | AssertionError e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
