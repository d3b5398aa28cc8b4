package org.orleans4j.placement;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The director of each strategy type, looked up by the strategy's exact class. Built-ins are
 * registered by {@link #withDefaults}; a custom strategy needs its own {@link #register} call.
 * Safe to read while registrations happen, though registrations normally precede silo start.
 */
public final class PlacementDirectorRegistry {

    private final ConcurrentHashMap<Class<? extends PlacementStrategy>, PlacementDirector<?>> directors =
            new ConcurrentHashMap<>();
    private volatile @Nullable ActivationCountBasedPlacementDirector activationCountDirector;

    /** A registry with the six built-in directors. */
    public static PlacementDirectorRegistry withDefaults(ActivationCountBasedPlacementOptions options) {
        PlacementDirectorRegistry registry = new PlacementDirectorRegistry();
        registry.register(RandomPlacementStrategy.class, new RandomPlacementDirector());
        registry.register(PreferLocalPlacementStrategy.class, new PreferLocalPlacementDirector());
        registry.register(HashBasedPlacementStrategy.class, new HashBasedPlacementDirector());
        registry.register(
                ActivationCountBasedPlacementStrategy.class, new ActivationCountBasedPlacementDirector(options));
        registry.register(StatelessWorkerPlacementStrategy.class, new StatelessWorkerPlacementDirector());
        registry.register(SiloRoleBasedPlacementStrategy.class, new SiloRoleBasedPlacementDirector());
        return registry;
    }

    /** {@link #withDefaults(ActivationCountBasedPlacementOptions)} with the default options. */
    public static PlacementDirectorRegistry withDefaults() {
        return withDefaults(ActivationCountBasedPlacementOptions.DEFAULT);
    }

    /** Registers the director for a strategy type, replacing any earlier one. */
    public <S extends PlacementStrategy> void register(Class<S> strategyType, PlacementDirector<? super S> director) {
        Objects.requireNonNull(strategyType, "strategyType");
        Objects.requireNonNull(director, "director");
        directors.put(strategyType, director);
        if (strategyType == ActivationCountBasedPlacementStrategy.class) {
            // A replacement that is not the built-in kind has no use for published counts.
            activationCountDirector =
                    director instanceof ActivationCountBasedPlacementDirector counting ? counting : null;
        }
    }

    /**
     * The director for the strategy's class.
     *
     * @throws PlacementException when none is registered
     */
    @SuppressWarnings("unchecked")
    public <S extends PlacementStrategy> PlacementDirector<S> director(S strategy) {
        Objects.requireNonNull(strategy, "strategy");
        PlacementDirector<?> director = directors.get(strategy.getClass());
        if (director == null) {
            throw new PlacementException("No placement director for strategy "
                    + strategy.getClass().getName()
                    + "; register a PlacementDirector for it (PlacementDirectorRegistry.register, or in Spring a bean"
                    + " implementing PlacementDirector<" + strategy.getClass().getSimpleName() + ">)");
        }
        // Safe: register() only pairs a strategy type with a director of that type or a supertype.
        return (PlacementDirector<S>) director;
    }

    /** Whether a director is registered for exactly this strategy type. */
    public boolean isRegistered(Class<? extends PlacementStrategy> strategyType) {
        return directors.containsKey(strategyType);
    }

    /**
     * The registered built-in activation-count director, which the runtime feeds with the counts silos
     * publish; {@code null} when that strategy's director was replaced by another kind (or never registered).
     */
    public @Nullable ActivationCountBasedPlacementDirector activationCountDirector() {
        return activationCountDirector;
    }
}
