package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.runtime.Silo;

/**
 * {@code orleans.membership.silos}, tagged by {@code status}: the silos of the membership table as
 * this silo last read it (dead ones stay until the table drops them). A silo on its own counts
 * itself, in its own status.
 */
public final class MembershipMetrics implements MeterBinder {

    private final Silo silo;

    public MembershipMetrics(Silo silo) {
        this.silo = silo;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SiloStatus status : SiloStatus.values()) {
            if (status == SiloStatus.NONE) {
                continue; // "not in the table": no silo is ever listed with it
            }
            Gauge.builder("orleans.membership.silos", silo, s -> count(s, status))
                    .description("Silos of the cluster in the status, as this silo sees the membership table")
                    .tag("status", MeterTags.value(status))
                    .strongReference(true)
                    .register(registry);
        }
    }

    private static int count(Silo silo, SiloStatus status) {
        ClusterMembershipService membership = silo.membership();
        if (membership == null) {
            return silo.status() == status ? 1 : 0;
        }
        int count = 0;
        for (ClusterMember member : membership.currentSnapshot().members().values()) {
            if (member.status() == status) {
                count++;
            }
        }
        return count;
    }
}
