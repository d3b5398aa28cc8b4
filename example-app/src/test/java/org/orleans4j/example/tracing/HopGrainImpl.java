package org.orleans4j.example.tracing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.placement.SiloRoleBasedPlacement;
import org.orleans4j.spring.grain.GrainComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Placed on the silo whose role is its key; counts its hops in storage, so a hop reads and writes state. */
@GrainComponent
@SiloRoleBasedPlacement
public class HopGrainImpl extends GrainBase implements HopGrain {

    private static final Logger log = LoggerFactory.getLogger(HopGrainImpl.class);

    private final PersistentState<Hops> hops = persistentState("hops", Hops.class, () -> new Hops(0));

    @Override
    public CompletableFuture<String> hop(List<String> next) {
        log.info("Hop at {}", primaryKeyString());
        hops.setState(new Hops(hops.state().count() + 1));
        return hops.writeState().thenCompose(written -> {
            if (next.isEmpty()) {
                return CompletableFuture.completedFuture(primaryKeyString());
            }
            return grainFactory()
                    .getGrain(HopGrain.class, next.get(0))
                    .hop(List.copyOf(next.subList(1, next.size())))
                    .thenApply(rest -> primaryKeyString() + ">" + rest);
        });
    }

    /** How often the grain was hopped through. */
    public record Hops(long count) {}
}
