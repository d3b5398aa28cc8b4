package org.orleans4j.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.HostPort;
import org.orleans4j.membership.MembershipTable;

/** Where a client's gateways come from. */
sealed interface GatewayList {

    /** The gateways to connect to now. */
    CompletableFuture<List<HostPort>> read();

    /** Whether the list never changes (so there is nothing to refresh). */
    boolean isStatic();

    /** For messages: where the list came from. */
    String describe();

    /**
     * Fixed addresses, e.g. a Kubernetes Service in front of the gateways: a new connection to a
     * load-balanced address may reach another silo, so it is worth reconnecting to even after its
     * silo went away.
     */
    record Static(List<HostPort> endpoints) implements GatewayList {
        public Static {
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public CompletableFuture<List<HostPort>> read() {
            return CompletableFuture.completedFuture(endpoints);
        }

        @Override
        public boolean isStatic() {
            return true;
        }

        @Override
        public String describe() {
            return "static gateways " + endpoints;
        }
    }

    /** The Active silos of the membership table that have a gateway port (Orleans' gateway list provider). */
    record FromMembership(MembershipTable table) implements GatewayList {
        @Override
        public CompletableFuture<List<HostPort>> read() {
            return table.getGateways()
                    .thenApply(list -> list.stream().map(HostPort::parse).toList());
        }

        @Override
        public boolean isStatic() {
            return false;
        }

        @Override
        public String describe() {
            return "gateways of the membership table (Active silos with a gateway port)";
        }
    }
}
