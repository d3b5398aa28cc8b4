package org.orleans4j.placement;

import java.util.concurrent.ConcurrentHashMap;

/** The director of each strategy type. Built-ins are registered by {@link #withDefaults}. */
public final class PlacementDirectorRegistry {

    private final ConcurrentHashMap<Class<? extends PlacementStrategy>, PlacementDirector<?>> directors =
            new ConcurrentHashMap<>();
    private ActivationCountBasedPlacementDirector activationCountDirector;

    public static PlacementDirectorRegistry withDefaults(ActivationCountBasedPlacementOptions options) {
        PlacementDirectorRegistry registry = new PlacementDirectorRegistry();
        registry.register(RandomPlacementStrategy.class, new RandomPlacementDirector());
        registry.register(PreferLocalPlacementStrategy.class, new PreferLocalPlacementDirector());
        registry.register(HashBasedPlacementStrategy.class, new HashBasedPlacementDirector());
        registry.register(ActivationCountBasedPlacementStrategy.class, new ActivationCountBasedPlacementDirector(options));
        registry.register(StatelessWorkerPlacementStrategy.class, new StatelessWorkerPlacementDirector());
        registry.register(SiloRoleBasedPlacementStrategy.class, new SiloRoleBasedPlacementDirector());
        return registry;
    }

    /** Registers the director for a strategy type, replacing any earlier one. */
    public <S extends PlacementStrategy> void register(Class<S> strategyType, PlacementDirector<? super S> director) {
        directors.put(strategyType, director);
        if (strategyType == ActivationCountBasedPlacementStrategy.class
                && director instanceof ActivationCountBasedPlacementDirector counting) {
            activationCountDirector = counting;
        }
    }

    @SuppressWarnings("unchecked")
    public <S extends PlacementStrategy> PlacementDirector<S> director(S strategy) {
        PlacementDirector<?> director = directors.get(strategy.getClass());
        if (director == null) {
            throw new PlacementException("No placement director for strategy " + strategy.getClass().getName()
                    + "; register a PlacementDirector for it (in Spring: a bean implementing PlacementDirector<"
                    + strategy.getClass().getSimpleName() + ">)");
        }
        return (PlacementDirector<S>) director;
    }

    /** The built-in activation-count director, which the runtime feeds with published counts; may be null. */
    public ActivationCountBasedPlacementDirector activationCountDirector() {
        return activationCountDirector;
    }
}
