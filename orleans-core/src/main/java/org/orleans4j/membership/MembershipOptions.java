package org.orleans4j.membership;

import java.time.Duration;

/**
 * Membership protocol timing, with Orleans' defaults.
 * <p>
 * These bound how long a silo that stops answering stays Active (about {@code probeTimeout} x
 * {@code missedProbesLimit}). A silo whose process died is found much sooner: its closed connections and
 * refused port make the others suspect it at once, probe it, and ask each other to probe it; when
 * nobody reaches it they vote at once (see {@code SuspicionMonitor}; with only two Active silos there
 * is nobody to ask, and a refused connection plus a failed probe is enough). Before any vote, a silo
 * asks another one to probe the target, and does not vote if that one reaches it.
 *
 * @param probeTimeout how long a probe may take; also the probing period (5 s)
 * @param missedProbesLimit missed probes in a row before a silo votes another dead, unless a silo it asks
 *        reaches it (3)
 * @param probedSilos how many other silos each silo probes (10)
 * @param votesForDeath votes needed to declare a silo dead (2; 1 while at most 2 silos are Active)
 * @param voteExpiration how long a vote counts (2 min)
 * @param iAmAlivePeriod how often a silo writes its IAmAlive time (30 s)
 * @param tableRefreshPeriod how often a silo re-reads the table (60 s)
 * @param defunctSiloExpiration how long Dead rows are kept (7 days)
 */
public record MembershipOptions(
        Duration probeTimeout,
        int missedProbesLimit,
        int probedSilos,
        int votesForDeath,
        Duration voteExpiration,
        Duration iAmAlivePeriod,
        Duration tableRefreshPeriod,
        Duration defunctSiloExpiration) {

    public static final MembershipOptions DEFAULT = new MembershipOptions(
            Duration.ofSeconds(5),
            3,
            10,
            2,
            Duration.ofMinutes(2),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofDays(7));

    public MembershipOptions {
        if (missedProbesLimit < 1 || probedSilos < 1 || votesForDeath < 1) {
            throw new IllegalArgumentException("missedProbesLimit, probedSilos and votesForDeath must be at least 1");
        }
    }

    /**
     * How old an Active silo's IAmAlive may be before the vote quorum stops counting that silo: four
     * IAmAlive periods, at least two minutes (a database that freezes for a while must not make every
     * silo stale at once).
     */
    public Duration iAmAliveStaleness() {
        Duration four = iAmAlivePeriod.multipliedBy(4);
        return four.compareTo(Duration.ofMinutes(2)) < 0 ? Duration.ofMinutes(2) : four;
    }

    /** Votes needed in a cluster with {@code activeSilos} Active silos. */
    int votesNeeded(int activeSilos) {
        return activeSilos <= 2 ? 1 : votesForDeath;
    }
}
