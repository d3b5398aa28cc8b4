package org.orleans4j.spring.membership;

import java.time.Duration;
import org.orleans4j.internal.OptionChecks;
import org.orleans4j.membership.MembershipOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cluster membership ({@code orleans.clustering.*}): when enabled, the silo joins the other silos
 * of its service id and cluster id through a membership table in the application's database, and
 * grains are placed, located and called across them. Timing defaults are Orleans'.
 *
 * @param enabled Whether this silo is a cluster member (needs a DataSource for the membership table)
 * @param initializeSchema Whether to create the membership tables at startup when they do not exist
 * @param joinTimeout Limit for joining the cluster at startup
 * @param probeTimeout How long a probe of another silo may take; also how often silos probe
 * @param missedProbesLimit Missed probes in a row after which a silo votes another dead, unless another
 *        silo it asks still reaches it (a refused or closed connection is checked at once, without waiting
 *        for missed probes)
 * @param probedSilos How many other silos each silo probes
 * @param votesForDeath Votes needed to declare a silo dead (1 while at most 2 silos are Active)
 * @param voteExpiration How long a vote counts
 * @param iAmAlivePeriod How often a silo writes its IAmAlive time into the table
 * @param tableRefreshPeriod How often a silo re-reads the table (changes are also announced at once)
 * @param defunctSiloExpiration How long rows of dead silos are kept
 * @param grainDirectory Where grain activations are registered: distributed over the silos, or jdbc
 *        (a table in the application's database)
 * @param directoryCacheSize Bound of each silo's cache of directory lookups
 */
@ConfigurationProperties("orleans.clustering")
public record ClusteringProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("true") boolean initializeSchema,
        @DefaultValue("1m") Duration joinTimeout,
        @DefaultValue("5s") Duration probeTimeout,
        @DefaultValue("3") int missedProbesLimit,
        @DefaultValue("10") int probedSilos,
        @DefaultValue("2") int votesForDeath,
        @DefaultValue("2m") Duration voteExpiration,
        @DefaultValue("30s") Duration iAmAlivePeriod,
        @DefaultValue("60s") Duration tableRefreshPeriod,
        @DefaultValue("7d") Duration defunctSiloExpiration,
        @DefaultValue("distributed") GrainDirectoryType grainDirectory,
        @DefaultValue("100000") int directoryCacheSize) {

    /** Where activations are registered. */
    public enum GrainDirectoryType {
        /** A hash table distributed over the Active silos (Orleans' default). */
        DISTRIBUTED,
        /** A table in the application's database, shared by the silos. */
        JDBC
    }

    public ClusteringProperties {
        OptionChecks.requirePositive(joinTimeout, "orleans.clustering.join-timeout");
        OptionChecks.requirePositive(probeTimeout, "orleans.clustering.probe-timeout");
        OptionChecks.requirePositive(voteExpiration, "orleans.clustering.vote-expiration");
        OptionChecks.requirePositive(iAmAlivePeriod, "orleans.clustering.i-am-alive-period");
        OptionChecks.requirePositive(tableRefreshPeriod, "orleans.clustering.table-refresh-period");
        OptionChecks.requirePositive(defunctSiloExpiration, "orleans.clustering.defunct-silo-expiration");
        requireAtLeastOne(missedProbesLimit, "orleans.clustering.missed-probes-limit");
        requireAtLeastOne(probedSilos, "orleans.clustering.probed-silos");
        requireAtLeastOne(votesForDeath, "orleans.clustering.votes-for-death");
        requireAtLeastOne(directoryCacheSize, "orleans.clustering.directory-cache-size");
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    public MembershipOptions membershipOptions() {
        return new MembershipOptions(
                probeTimeout,
                missedProbesLimit,
                probedSilos,
                votesForDeath,
                voteExpiration,
                iAmAlivePeriod,
                tableRefreshPeriod,
                defunctSiloExpiration);
    }
}
