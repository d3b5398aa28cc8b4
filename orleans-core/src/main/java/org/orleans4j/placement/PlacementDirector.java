package org.orleans4j.placement;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/**
 * Chooses the silo for a new activation under one strategy type {@code S}. Directors are shared by
 * all placements of their strategy and are called concurrently.
 *
 * @param <S> the strategy this director serves
 */
@FunctionalInterface
public interface PlacementDirector<S extends PlacementStrategy> {

    CompletableFuture<SiloAddress> onAddActivation(S strategy, PlacementTarget target, PlacementContext context);
}
