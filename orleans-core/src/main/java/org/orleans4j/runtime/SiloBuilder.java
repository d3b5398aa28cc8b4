package org.orleans4j.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.orleans4j.catalog.Catalog;
import org.orleans4j.directory.InMemoryGrainDirectory;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.placement.ActivationCountBasedPlacementOptions;
import org.orleans4j.placement.PlacementDirector;
import org.orleans4j.placement.PlacementDirectorRegistry;
import org.orleans4j.placement.PlacementService;
import org.orleans4j.placement.PlacementStrategy;
import org.orleans4j.placement.PlacementStrategyResolver;
import org.orleans4j.placement.RandomPlacementStrategy;

/** Assembles a {@link Silo}. Every option has Orleans' default. */
public final class SiloBuilder {

    private static final AtomicLong LAST_GENERATION = new AtomicLong();
    private static final AtomicInteger SILO_COUNTER = new AtomicInteger();

    private ClusterOptions clusterOptions = ClusterOptions.DEFAULT;
    private EndpointOptions endpointOptions = EndpointOptions.DEFAULT;
    private SiloOptions siloOptions;
    private GrainCollectionOptions collectionOptions = GrainCollectionOptions.DEFAULT;
    private MessagingOptions messagingOptions = MessagingOptions.DEFAULT;
    private ActivationCountBasedPlacementOptions activationCountOptions = ActivationCountBasedPlacementOptions.DEFAULT;
    private PlacementStrategy defaultPlacement = RandomPlacementStrategy.INSTANCE;
    private final List<Class<?>> grainClasses = new ArrayList<>();
    private final Map<String, GrainStorage> storages = new LinkedHashMap<>();
    private final List<Runnable> directorRegistrations = new ArrayList<>();
    private PlacementDirectorRegistry directors;
    private GrainActivator activator = new ReflectionGrainActivator();
    private ExecutorService scheduler;

    SiloBuilder() {
    }

    public SiloBuilder clusterOptions(ClusterOptions options) {
        this.clusterOptions = Objects.requireNonNull(options);
        return this;
    }

    public SiloBuilder endpointOptions(EndpointOptions options) {
        this.endpointOptions = Objects.requireNonNull(options);
        return this;
    }

    public SiloBuilder siloOptions(SiloOptions options) {
        this.siloOptions = Objects.requireNonNull(options);
        return this;
    }

    public SiloBuilder collectionOptions(GrainCollectionOptions options) {
        this.collectionOptions = Objects.requireNonNull(options);
        return this;
    }

    public SiloBuilder messagingOptions(MessagingOptions options) {
        this.messagingOptions = Objects.requireNonNull(options);
        return this;
    }

    public SiloBuilder activationCountPlacementOptions(ActivationCountBasedPlacementOptions options) {
        this.activationCountOptions = Objects.requireNonNull(options);
        return this;
    }

    /** Replaces {@link RandomPlacementStrategy} as the strategy of grain classes without a placement annotation. */
    public SiloBuilder defaultPlacementStrategy(PlacementStrategy strategy) {
        this.defaultPlacement = Objects.requireNonNull(strategy);
        return this;
    }

    /** Registers (or replaces) the director for a strategy type, e.g. a custom strategy's. */
    public <S extends PlacementStrategy> SiloBuilder placementDirector(Class<S> strategyType,
            PlacementDirector<? super S> director) {
        directorRegistrations.add(() -> directors.register(strategyType, director));
        return this;
    }

    public SiloBuilder addGrainClass(Class<?> grainClass) {
        grainClasses.add(Objects.requireNonNull(grainClass));
        return this;
    }

    public SiloBuilder addGrainClasses(Iterable<Class<?>> classes) {
        classes.forEach(this::addGrainClass);
        return this;
    }

    /** Adds a storage provider; name it {@value GrainStorageRegistry#DEFAULT_NAME} to make it the default. */
    public SiloBuilder storage(String name, GrainStorage storage) {
        storages.put(Objects.requireNonNull(name), Objects.requireNonNull(storage));
        return this;
    }

    public SiloBuilder activator(GrainActivator activator) {
        this.activator = Objects.requireNonNull(activator);
        return this;
    }

    /**
     * Runs turns on this executor instead of the silo's own fork-join pool (sized to the cores).
     * The silo does not shut it down.
     */
    public SiloBuilder scheduler(ExecutorService scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    public Silo build() {
        SiloOptions silo = siloOptions != null ? siloOptions
                : new SiloOptions(defaultSiloName(), null);
        SiloAddress address = new SiloAddress(advertisedHost(), endpointOptions.siloPort(), nextGeneration());

        directors = PlacementDirectorRegistry.withDefaults(activationCountOptions);
        directorRegistrations.forEach(Runnable::run);
        GrainTypeRegistry registry = new GrainTypeRegistry(new PlacementStrategyResolver(defaultPlacement));
        for (Class<?> grainClass : grainClasses) {
            registry.register(grainClass);
        }
        for (GrainClassMetadata metadata : registry.grainClasses()) {
            directors.director(metadata.placementStrategy()); // fails now, not at the first call, if one is missing
        }

        boolean ownsScheduler = scheduler == null;
        ExecutorService turns = ownsScheduler ? newScheduler(silo.siloName()) : scheduler;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("orleans-timer-" + silo.siloName()));
        timer.setRemoveOnCancelPolicy(true);

        Silo[] holder = new Silo[1];
        ClusterView cluster = new SingleSiloClusterView(address, silo.effectiveRole(), () -> holder[0].status());
        Catalog catalog = new Catalog(address, turns, timer, collectionOptions, new InMemoryGrainDirectory(), activator,
                new GrainStorageRegistry(storages));
        PlacementService placement = new PlacementService(directors, new ClusterPlacementContext(cluster));
        ResponseTimeouts timeouts = new ResponseTimeouts(messagingOptions.responseTimeout());
        Dispatcher dispatcher = new Dispatcher(catalog, placement, timeouts, address, () -> holder[0].status());
        RuntimeGrainFactory factory = new RuntimeGrainFactory(registry);
        factory.bind(dispatcher);
        catalog.bind(factory, dispatcher::forward);
        holder[0] = new Silo(address, silo, clusterOptions, collectionOptions, registry, catalog, factory, timeouts,
                turns, ownsScheduler, timer, directors.activationCountDirector());
        return holder[0];
    }

    private String advertisedHost() {
        String advertised = endpointOptions.advertisedAddress();
        if (advertised != null && !advertised.isBlank()) {
            return advertised;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
    }

    private static String defaultSiloName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        int n = SILO_COUNTER.incrementAndGet();
        return n == 1 ? host : host + "-" + n;
    }

    /** Epoch seconds, strictly increasing within this JVM so two silos never share a generation. */
    private static long nextGeneration() {
        long now = System.currentTimeMillis() / 1000;
        return LAST_GENERATION.updateAndGet(last -> Math.max(last + 1, now));
    }

    private static ExecutorService newScheduler(String siloName) {
        return new TurnScheduler(siloName, Runtime.getRuntime().availableProcessors());
    }
}
