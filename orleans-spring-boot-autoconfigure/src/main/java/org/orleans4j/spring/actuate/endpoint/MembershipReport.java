package org.orleans4j.spring.actuate.endpoint;

import java.time.Instant;
import java.util.List;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.SuspectVote;

/**
 * Every silo of the membership, as the {@code membership} section shows it.
 *
 * @param source where the rows come from: {@code table} (read for this request), {@code snapshot}
 *               (the silo's cached view, when no table bean is at hand: no times, ports or votes) or
 *               {@code silo} (a silo on its own, which has no table)
 * @param version the table version; {@code null} for a silo on its own
 * @param silos the silos in address order
 */
public record MembershipReport(String source, Long version, List<Member> silos) {

    /**
     * One silo's row.
     *
     * @param startTime when it started
     * @param iAmAliveTime when it last wrote that it is alive ({@code null} when unknown)
     * @param suspectVotes votes of other silos that it is dead, with their time
     * @param gatewayPort the port cluster clients use, 0 when it is no gateway ({@code null} when unknown)
     * @param appVersion the application version of its build ({@code orleans.silo.app-version}), which a
     *        rolling upgrade moves new activations towards; {@code null} when its row does not say
     */
    public record Member(
            String address,
            String name,
            String hostName,
            String role,
            String status,
            Instant startTime,
            Instant iAmAliveTime,
            List<Vote> suspectVotes,
            Integer gatewayPort,
            String appVersion) {

        static Member of(MembershipEntry entry) {
            return new Member(
                    entry.silo().toString(),
                    entry.siloName(),
                    entry.hostName(),
                    entry.roleName(),
                    entry.status().name(),
                    entry.startTime(),
                    entry.iAmAliveTime(),
                    entry.suspectVotes().stream().map(Vote::of).toList(),
                    entry.gatewayPort(),
                    entry.manifest() == null ? null : entry.manifest().appVersion());
        }
    }

    /** A suspicion vote: who voted, and when. */
    public record Vote(String voter, Instant time) {

        static Vote of(SuspectVote vote) {
            return new Vote(vote.voter().toString(), vote.time());
        }
    }
}
