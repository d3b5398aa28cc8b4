package org.orleans4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orleans4j.cluster.AppVersions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.placement.PlacementContext;
import org.orleans4j.placement.PlacementTarget;

/**
 * Answers placement directors from the silo's cluster view. A silo is compatible with a target when
 * its manifest says it hosts the grain type and serves the caller's version of the interface (a silo
 * whose row says nothing is taken to host everything). While silos of several application versions
 * run side by side, only those of the newest version present are offered, so that a rolling upgrade
 * moves new activations forward and never back.
 */
final class ClusterPlacementContext implements PlacementContext {

    private final ClusterView cluster;
    private final boolean preferNewestVersion;

    /**
     * @param preferNewestVersion offer only the compatible silos of the newest application version
     *     present ({@code orleans.placement.prefer-newest-version})
     */
    ClusterPlacementContext(ClusterView cluster, boolean preferNewestVersion) {
        this.cluster = cluster;
        this.preferNewestVersion = preferNewestVersion;
    }

    @Override
    public SiloAddress localSilo() {
        return cluster.localSilo();
    }

    @Override
    public SiloStatus localSiloStatus() {
        return cluster.localStatus();
    }

    @Override
    public List<SiloAddress> getCompatibleSilos(PlacementTarget target) {
        List<SiloAddress> compatible = getAllCompatibleSilos(target);
        return preferNewestVersion ? AppVersions.newestOf(compatible, this::appVersion) : compatible;
    }

    @Override
    public List<SiloAddress> getAllCompatibleSilos(PlacementTarget target) {
        List<SiloAddress> active = cluster.activeSilos();
        String grainType = target.grainId().type();
        String grainInterface = target.grainInterface().getName();
        int version = target.interfaceVersion();
        List<SiloAddress> compatible = null;
        for (int i = 0; i < active.size(); i++) {
            SiloManifest manifest = cluster.manifest(active.get(i));
            boolean fits = manifest == null || (manifest.hosts(grainType) && manifest.serves(grainInterface, version));
            if (!fits && compatible == null) {
                compatible = new ArrayList<>(active.subList(0, i)); // the common case allocates nothing
            } else if (fits && compatible != null) {
                compatible.add(active.get(i));
            }
        }
        return compatible == null ? active : compatible;
    }

    private String appVersion(SiloAddress silo) {
        SiloManifest manifest = cluster.manifest(silo);
        return manifest == null ? "" : manifest.appVersion();
    }

    @Override
    public Map<SiloAddress, String> getSiloRoles() {
        return cluster.roles();
    }
}
