package org.orleans4j.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.orleans4j.catalog.internal.GrainStorageRegistry;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.persistence.MemoryGrainStorage;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.FileMembershipTable;
import org.orleans4j.testing.TestCluster;

/**
 * A silo JVM for the gateway failover test: joins the cluster through a {@link FileMembershipTable},
 * hosts the {@link ClientGrains}, listens on the given silo and gateway ports, prints
 * {@code READY silo=<address> gateway=<port>} once Active, and runs until killed (SIGTERM stops it
 * gracefully). Arguments: table file, cluster id, silo name, silo port, gateway port. With
 * {@code -Dsilo.defaultMembership=true} it probes with the defaults a user gets instead of fast test timings.
 */
public final class GatewaySiloMain {

    private GatewaySiloMain() {}

    /** JVM options for a silo JVM of this class: small heap, quick start, timestamped logs, plus {@code extra}. */
    static String[] jvmOptions(String... extra) {
        List<String> options = new ArrayList<>(List.of(
                "-Xmx192m",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        options.addAll(List.of(extra));
        return options.toArray(String[]::new);
    }

    public static void main(String[] args) throws InterruptedException {
        Silo silo = Silo.builder()
                .clusterOptions(new ClusterOptions("test", args[1]))
                .siloOptions(new SiloOptions(args[2], null))
                .endpointOptions(new EndpointOptions(
                        Integer.parseInt(args[3]), Integer.parseInt(args[4]), "127.0.0.1", "127.0.0.1"))
                .membershipTable(new FileMembershipTable(Path.of(args[0])))
                .membershipOptions(
                        Boolean.getBoolean("silo.defaultMembership")
                                ? MembershipOptions.DEFAULT
                                : TestCluster.FAST_MEMBERSHIP)
                .storage(GrainStorageRegistry.DEFAULT_NAME, new MemoryGrainStorage())
                .addGrainClass(ClientGrains.EchoGrainImpl.class)
                .addGrainClass(ClientGrains.CounterGrainImpl.class)
                .build();
        silo.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> silo.stop(Duration.ofSeconds(10)), "silo-stop"));
        System.out.println("READY silo=" + silo.address() + " gateway=" + silo.gatewayPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
