package org.orleans4j.membership;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
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
 * @param manifest what it hosts and its application version; {@code null} when the row does not say (a
 *     table that does not store it): such a silo is taken to host every grain type
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
        List<SuspectVote> suspectVotes,
        @Nullable SiloManifest manifest) {

    public MembershipEntry {
        Objects.requireNonNull(silo, "silo");
        Objects.requireNonNull(status, "status");
        suspectVotes = suspectVotes == null ? List.of() : List.copyOf(suspectVotes);
    }

    /** A row that does not say what its silo hosts. */
    public MembershipEntry(
            SiloAddress silo,
            SiloStatus status,
            String siloName,
            String hostName,
            int gatewayPort,
            String roleName,
            Instant startTime,
            Instant iAmAliveTime,
            List<SuspectVote> suspectVotes) {
        this(silo, status, siloName, hostName, gatewayPort, roleName, startTime, iAmAliveTime, suspectVotes, null);
    }

    public MembershipEntry withStatus(SiloStatus newStatus) {
        return new MembershipEntry(
                silo,
                newStatus,
                siloName,
                hostName,
                gatewayPort,
                roleName,
                startTime,
                iAmAliveTime,
                suspectVotes,
                manifest);
    }

    public MembershipEntry withIAmAliveTime(Instant time) {
        return new MembershipEntry(
                silo, status, siloName, hostName, gatewayPort, roleName, startTime, time, suspectVotes, manifest);
    }

    public MembershipEntry withSuspectVotes(List<SuspectVote> votes) {
        return new MembershipEntry(
                silo, status, siloName, hostName, gatewayPort, roleName, startTime, iAmAliveTime, votes, manifest);
    }

    public MembershipEntry withManifest(@Nullable SiloManifest newManifest) {
        return new MembershipEntry(
                silo,
                status,
                siloName,
                hostName,
                gatewayPort,
                roleName,
                startTime,
                iAmAliveTime,
                suspectVotes,
                newManifest);
    }
}
