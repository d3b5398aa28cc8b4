package org.orleans4j.spring.client;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.membership.InMemoryMembershipTable;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.spring.client.app.EchoGrainImpl;
import org.orleans4j.spring.membership.JdbcMembershipTable;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.db.H2Databases;

/**
 * Clustered silos (only those open a gateway) with a gateway on a free loopback port, for client
 * tests, of service {@code svc} cluster {@code blue}.
 */
final class GatewaySilos {

    static final String SERVICE_ID = "svc";
    static final String CLUSTER_ID = "blue";

    private GatewaySilos() {}

    /** A started silo and its gateway ({@code host:port}). */
    record GatewaySilo(Silo silo, String gateway) implements AutoCloseable {
        @Override
        public void close() {
            silo.close();
        }
    }

    /** A silo alone in its cluster (an in-memory membership table), hosting {@link EchoGrainImpl}, started. */
    static GatewaySilo standalone(String name) {
        return start(name, new InMemoryMembershipTable());
    }

    /** A silo that joins the cluster through a membership table in the H2 database at {@code jdbcUrl}, started. */
    static GatewaySilo clustered(String name, String jdbcUrl) {
        JdbcMembershipTable table = new JdbcMembershipTable(dataSource(jdbcUrl), SERVICE_ID, CLUSTER_ID);
        table.initialize(true);
        return start(name, table);
    }

    private static GatewaySilo start(String name, MembershipTable table) {
        int[] ports = FreePorts.allocate(2);
        SiloBuilder builder = Silo.builder()
                .clusterOptions(new ClusterOptions(SERVICE_ID, CLUSTER_ID))
                .siloOptions(new SiloOptions(name, null))
                .endpointOptions(new EndpointOptions(ports[0], ports[1], "127.0.0.1", "127.0.0.1"))
                .addGrainClass(EchoGrainImpl.class)
                .membershipTable(table);
        Silo silo = builder.build();
        silo.start();
        return new GatewaySilo(silo, "127.0.0.1:" + ports[1]);
    }

    static DataSource dataSource(String url) {
        JdbcDataSource dataSource = H2Databases.dataSource(url);
        dataSource.setUser("sa");
        return dataSource;
    }
}
