package org.orleans4j.benchmarks;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.h2.jdbcx.JdbcDataSource;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;

/**
 * The far silo of {@link CrossSiloBenchmarks} and {@link ClientBenchmarks}: joins the cluster
 * through the shared H2 membership table and hosts the ping grains. Arguments: the H2 URL, the
 * cluster id, optionally a gateway port for cluster clients (none by default), and optionally a
 * directory of TLS key material ({@link TlsKeyMaterial}) for mutual TLS; {@code -Dbench.observe} sets what it
 * observes ({@link ObservationMode}, off by default). Runs until killed.
 */
public final class RemoteSilo {

    public static void main(String[] args) throws Exception {
        int gatewayPort = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        SiloBuilder builder = Silo.builder()
                .clusterOptions(new ClusterOptions("bench", args[1]))
                .siloOptions(new SiloOptions("remote", null))
                .endpointOptions(new EndpointOptions(0, gatewayPort, "127.0.0.1", "127.0.0.1"))
                .membershipTable(CrossSiloBenchmarks.membershipTable(args[0], args[1]))
                .addGrainClass(PingGrainImpl.class)
                .observationRegistry(ObservationMode.fromSystemProperty().registry())
                .observeGrainCalls(ObservationMode.fromSystemProperty().observesCalls());
        if (args.length > 3) {
            builder.transportSecurity(TlsKeyMaterial.read(Path.of(args[3]), "remote"));
        }
        Silo silo = builder.build();
        silo.membership()
                .subscribe(snapshot -> System.out.println(
                        "ACTIVE SILOS " + snapshot.activeSilos().size()));
        silo.start();
        System.out.println("READY " + silo.address());
        new CountDownLatch(1).await(); // until the benchmark kills this JVM
    }

    private RemoteSilo() {}

    static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return dataSource;
    }
}
