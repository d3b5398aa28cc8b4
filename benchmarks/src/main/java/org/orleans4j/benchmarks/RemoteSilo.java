package org.orleans4j.benchmarks;

import java.util.concurrent.CountDownLatch;
import org.h2.jdbcx.JdbcDataSource;
import org.orleans4j.runtime.ClusterOptions;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.spring.membership.JdbcMembershipTable;

/**
 * The far silo of {@link CrossSiloBenchmarks}: joins the cluster through the shared H2 membership
 * table and hosts the ping grains. Arguments: the H2 URL and the cluster id. Runs until killed.
 */
public final class RemoteSilo {

    public static void main(String[] args) throws Exception {
        Silo silo = Silo.builder()
                .clusterOptions(new ClusterOptions("bench", args[1]))
                .siloOptions(new SiloOptions("remote", null))
                .endpointOptions(new EndpointOptions(0, 0, "127.0.0.1", "127.0.0.1"))
                .membershipTable(CrossSiloBenchmarks.membershipTable(args[0], args[1]))
                .addGrainClass(PingGrainImpl.class)
                .build();
        silo.membership().subscribe(snapshot -> System.out.println("ACTIVE SILOS " + snapshot.activeSilos().size()));
        silo.start();
        System.out.println("READY " + silo.address());
        new CountDownLatch(1).await(); // until the benchmark kills this JVM
    }

    private RemoteSilo() {
    }

    static JdbcDataSource dataSource(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return dataSource;
    }
}
