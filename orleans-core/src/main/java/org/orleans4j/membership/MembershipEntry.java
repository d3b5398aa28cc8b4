package org.orleans4j.membership;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;

/**
 * A silo's row in the membership table.
 *
 * @param silo the silo's address (host, silo port, generation): the row's key
 * @param status its status
 * @param siloName its name (the pod name in Kubernetes)
 * @param hostName the machine it runs on
 * @param gatewayPort the port cluster clients connect to; 0 when it is no gateway
 * @param roleName its role
 * @param startTime when it started
 * @param iAmAliveTime when it last said it was alive
 * @param suspectVotes votes of other silos that it is dead
 */
public record MembershipEntry(
        SiloAddress silo,
        SiloStatus status,
        String siloName,
        String hostName,
        int gatewayPort,
        String roleName,
        Instant startTime,
        Instant iAmAliveTime,
        List<SuspectVote> suspectVotes) {

    public MembershipEntry {
        Objects.requireNonNull(silo, "silo");
        Objects.requireNonNull(status, "status");
        suspectVotes = suspectVotes == null ? List.of() : List.copyOf(suspectVotes);
    }

    public MembershipEntry withStatus(SiloStatus newStatus) {
        return new MembershipEntry(
                silo, newStatus, siloName, hostName, gatewayPort, roleName, startTime, iAmAliveTime, suspectVotes);
    }

    public MembershipEntry withIAmAliveTime(Instant time) {
        return new MembershipEntry(
                silo, status, siloName, hostName, gatewayPort, roleName, startTime, time, suspectVotes);
    }

    public MembershipEntry withSuspectVotes(List<SuspectVote> votes) {
        return new MembershipEntry(
                silo, status, siloName, hostName, gatewayPort, roleName, startTime, iAmAliveTime, votes);
    }
}
