package org.orleans4j.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.FileMembershipTable;

/**
 * A silo JVM for the failure detection process test, with every option at its default (membership,
 * messaging, retries) except the endpoints: joins through a {@link FileMembershipTable}, hosts the
 * {@link DetectionGrains}, prints {@code READY silo=<address> gateway=<port>} once Active, and runs
 * until killed. Arguments: table file, cluster id, silo name, silo port, gateway port.
 */
public final class FailureDetectionSiloMain {

    private FailureDetectionSiloMain() {}

    public static void main(String[] args) throws InterruptedException {
        DetectionGrains.LocatedGrainImpl.siloName = args[2];
        Silo silo = Silo.builder()
                .clusterOptions(new ClusterOptions("test", args[1]))
                .siloOptions(new SiloOptions(args[2], null))
                .endpointOptions(new EndpointOptions(
                        Integer.parseInt(args[3]), Integer.parseInt(args[4]), "127.0.0.1", "127.0.0.1"))
                .membershipTable(new FileMembershipTable(Path.of(args[0])))
                .addGrainClass(DetectionGrains.LocatedGrainImpl.class)
                .build();
        silo.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> silo.stop(Duration.ofSeconds(10)), "silo-stop"));
        System.out.println("READY silo=" + silo.address() + " gateway=" + silo.gatewayPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
