package org.orleans4j.placement;

import org.jspecify.annotations.Nullable;

/**
 * Stateless workers: several activations of one grain id per silo (up to {@link #maxLocalWorkers()}),
 * created on the calling silo, never registered in the grain directory. Chosen with
 * {@link StatelessWorker}.
 */
public final class StatelessWorkerPlacementStrategy extends PlacementStrategy {

    public static final StatelessWorkerPlacementStrategy INSTANCE = new StatelessWorkerPlacementStrategy(-1);

    private final int maxLocalWorkers;

    /** @param maxLocalWorkers activations per silo; -1 (or 0) means the number of cores */
    public StatelessWorkerPlacementStrategy(int maxLocalWorkers) {
        if (maxLocalWorkers < -1) {
            throw new IllegalArgumentException(
                    "maxLocalWorkers must be positive or -1 (cores), was " + maxLocalWorkers);
        }
        this.maxLocalWorkers = maxLocalWorkers <= 0 ? Runtime.getRuntime().availableProcessors() : maxLocalWorkers;
    }

    public StatelessWorkerPlacementStrategy(StatelessWorker annotation) {
        this(annotation.maxLocalWorkers());
    }

    public int maxLocalWorkers() {
        return maxLocalWorkers;
    }

    @Override
    public boolean isUsingGrainDirectory() {
        return false;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof StatelessWorkerPlacementStrategy other && other.maxLocalWorkers == maxLocalWorkers;
    }

    @Override
    public int hashCode() {
        return 31 * getClass().hashCode() + maxLocalWorkers;
    }

    @Override
    public String toString() {
        return "StatelessWorkerPlacementStrategy(maxLocalWorkers=" + maxLocalWorkers + ")";
    }
}
