package org.orleans4j.runtime;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;

/** The silo's view of the cluster's membership, as placement needs it. */
interface ClusterView {

    SiloAddress localSilo();

    SiloStatus localStatus();

    /** The silos currently Active, this one included when it is. */
    List<SiloAddress> activeSilos();

    /** Role name of each Active silo. */
    Map<SiloAddress, String> roles();

    /** What an Active silo hosts, or {@code null} when its row does not say (it is taken to host every type). */
    @Nullable
    SiloManifest manifest(SiloAddress silo);
}
