package org.orleans4j.runtime;

import io.micrometer.observation.ObservationRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.calls.OutgoingGrainCallFilter;
import org.orleans4j.calls.internal.GrainReferences;
import org.orleans4j.catalog.GrainActivator;
import org.orleans4j.catalog.GrainCallObserver;
import org.orleans4j.catalog.GrainCollectionOptions;
import org.orleans4j.catalog.internal.ActivationTable;
import org.orleans4j.catalog.internal.Catalog;
import org.orleans4j.catalog.internal.GrainStorageRegistry;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.directory.InMemoryGrainDirectory;
import org.orleans4j.directory.internal.CachedGrainDirectory;
import org.orleans4j.directory.internal.DistributedGrainDirectory;
import org.orleans4j.directory.internal.GrainLocator;
import org.orleans4j.directory.internal.RemoteGrainDirectory;
import org.orleans4j.internal.DaemonThreads;
import org.orleans4j.internal.OptionChecks;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.TransportSecurity;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.placement.ActivationCountBasedPlacementOptions;
import org.orleans4j.placement.PlacementDirector;
import org.orleans4j.placement.PlacementDirectorRegistry;
import org.orleans4j.placement.PlacementService;
import org.orleans4j.placement.PlacementStrategy;
import org.orleans4j.placement.PlacementStrategyResolver;
import org.orleans4j.placement.RandomPlacementStrategy;
import org.orleans4j.reminders.ReminderOptions;
import org.orleans4j.reminders.ReminderTable;
import org.orleans4j.reminders.internal.LocalReminderService;
import org.orleans4j.reminders.internal.ReminderRegistry;
import org.orleans4j.reminders.internal.RemoteReminderService;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles a {@link Silo}. Every option has Orleans' default. */
public final class SiloBuilder {

    private static final Logger log = LoggerFactory.getLogger(SiloBuilder.class);
    /** The system target of each silo's reminder service. */
    static final String REMINDERS = "reminders";

    private static final AtomicLong LAST_GENERATION = new AtomicLong();
    private static final AtomicInteger SILO_COUNTER = new AtomicInteger();

    private ClusterOptions clusterOptions = ClusterOptions.DEFAULT;
    private EndpointOptions endpointOptions = EndpointOptions.DEFAULT;
    private @Nullable SiloOptions siloOptions;
    private GrainCollectionOptions collectionOptions = GrainCollectionOptions.DEFAULT;
    private MessagingOptions messagingOptions = MessagingOptions.DEFAULT;
    private ActivationCountBasedPlacementOptions activationCountOptions = ActivationCountBasedPlacementOptions.DEFAULT;
    private PlacementStrategy defaultPlacement = RandomPlacementStrategy.INSTANCE;
    private final List<Class<?>> grainClasses = new ArrayList<>();
    private final Map<String, GrainStorage> storages = new LinkedHashMap<>();
    private final List<Runnable> directorRegistrations = new ArrayList<>();
    private PlacementDirectorRegistry directors;
    private GrainActivator activator = new ReflectionGrainActivator();
    private @Nullable ExecutorService scheduler;
    private @Nullable MembershipTable membershipTable;
    private @Nullable ReminderTable reminderTable;
    private ReminderOptions reminderOptions = ReminderOptions.DEFAULTS;
    private MembershipOptions membershipOptions = MembershipOptions.DEFAULT;
    private CallRetryOptions retryOptions = CallRetryOptions.DEFAULT;
    private @Nullable GrainDirectory sharedDirectory;
    private int directoryCacheSize = 100_000;
    private Duration joinTimeout = Duration.ofMinutes(1);
    private final List<Class<?>> serializableTypes = new ArrayList<>();
    private GrainCallObserver callObserver = GrainCallObserver.NONE;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private boolean observeGrainCalls = true;
    private final List<IncomingGrainCallFilter> incomingFilters = new ArrayList<>();
    private final List<OutgoingGrainCallFilter> outgoingFilters = new ArrayList<>();
    private @Nullable TransportSecurity transportSecurity;
    private String appVersion = "";
    private boolean preferNewestVersion = true;

    SiloBuilder() {}

    /**
     * The application version of this silo's build, published in its membership row: during a rolling
     * upgrade new activations go to the silos of the newest version present (see
     * {@link #preferNewestVersion}). Compared as a release number ({@code 1.10.0} after {@code 1.9.3}).
     * Blank by default: the oldest.
     */
    public SiloBuilder appVersion(String version) {
        this.appVersion = Objects.requireNonNull(version, "version").strip();
        return this;
    }

    /**
     * Whether new activations go only to the silos of the newest application version present, among
     * those that can host them (default {@code true}); stateless workers still run where they are called.
     */
    public SiloBuilder preferNewestVersion(boolean prefer) {
        this.preferNewestVersion = prefer;
        return this;
    }

    /**
     * Stores durable reminders in {@code table} (shared by every silo of the service); without one, grains
     * cannot register reminders.
     */
    public SiloBuilder reminderTable(ReminderTable table) {
        this.reminderTable = Objects.requireNonNull(table, "table");
        return this;
    }

    public SiloBuilder reminderOptions(ReminderOptions options) {
        this.reminderOptions = Objects.requireNonNull(options, "options");
        return this;
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
    public <S extends PlacementStrategy> SiloBuilder placementDirector(
            Class<S> strategyType, PlacementDirector<? super S> director) {
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
     * Makes the silo a cluster member: it listens for other silos on the silo port (and for cluster
     * clients on the gateway port, unless it is 0), joins through this table, and places, locates and
     * calls grains across the cluster. Without a table the silo runs on its own, with no gateway.
     */
    public SiloBuilder membershipTable(MembershipTable table) {
        this.membershipTable = Objects.requireNonNull(table);
        return this;
    }

    public SiloBuilder membershipOptions(MembershipOptions options) {
        this.membershipOptions = Objects.requireNonNull(options);
        return this;
    }

    /**
     * How this silo's calls that failed in transit are retried: those that provably did not run, and
     * idempotent ones, until their response timeout (default: 50 ms doubling to 1 s between attempts;
     * {@link CallRetryOptions#DISABLED} turns retries off).
     */
    public SiloBuilder callRetryOptions(CallRetryOptions options) {
        this.retryOptions = Objects.requireNonNull(options);
        return this;
    }

    /**
     * Uses a shared grain directory (a database, say) instead of the distributed one the silos
     * keep among themselves.
     */
    public SiloBuilder grainDirectory(GrainDirectory directory) {
        this.sharedDirectory = Objects.requireNonNull(directory);
        return this;
    }

    /** Bound of the per-silo cache of directory lookups (100,000). */
    public SiloBuilder directoryCacheSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("directory cache size must be at least 1, was " + size);
        }
        this.directoryCacheSize = size;
        return this;
    }

    /** How long {@link Silo#start()} may take to join the cluster (1 min). */
    public SiloBuilder joinTimeout(Duration timeout) {
        OptionChecks.requirePositive(timeout, "joinTimeout");
        this.joinTimeout = timeout;
        return this;
    }

    /**
     * Allows types on the wire beyond those reachable from grain interface signatures, e.g. the
     * subclasses of a declared supertype.
     */
    public SiloBuilder allowSerialization(Class<?>... types) {
        serializableTypes.addAll(List.of(types));
        return this;
    }

    /**
     * Adds a filter around every grain call this silo's activations handle; filters run in the order they
     * were added (see {@link IncomingGrainCallFilter}).
     */
    public SiloBuilder addIncomingCallFilter(IncomingGrainCallFilter filter) {
        incomingFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Adds a filter around every grain call made through this silo's grain factory (by its grains and by
     * application code); filters run in the order they were added (see {@link OutgoingGrainCallFilter}).
     */
    public SiloBuilder addOutgoingCallFilter(OutgoingGrainCallFilter filter) {
        outgoingFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Is told of every grain call made through the silo's grain factory, with its duration and
     * outcome (metrics and the dashboard use it). None by default, and then calls are not timed at
     * all. Each call adds an observer; several are told in the order they were added.
     */
    public SiloBuilder grainCallObserver(GrainCallObserver observer) {
        this.callObserver = GrainCallObserver.both(callObserver, Objects.requireNonNull(observer));
        return this;
    }

    /**
     * Where the silo makes its observations (grain calls on both sides, activations, deactivations,
     * storage operations, reminder ticks). With Micrometer Tracing on it they become spans, and every
     * call carries its trace context to the silo or client it goes to. None by default.
     */
    public SiloBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry);
        return this;
    }

    /**
     * Whether grain calls are observed (on both sides), besides activations, deactivations, storage
     * operations and reminder ticks; true by default. Two observations cost more than a local call: turn
     * them off when no tracer reads them (the {@code orleans.grain.calls} timer still times calls).
     */
    public SiloBuilder observeGrainCalls(boolean observe) {
        this.observeGrainCalls = observe;
        return this;
    }

    /**
     * Mutual TLS on the silo and gateway ports and on connections to other silos: only peers with a
     * certificate the given security trusts can connect. Plain TCP by default.
     */
    public SiloBuilder transportSecurity(TransportSecurity security) {
        this.transportSecurity = Objects.requireNonNull(security);
        return this;
    }

    /**
     * Runs turns on this executor instead of the silo's own fork-join pool (sized to the cores).
     * The silo does not shut it down.
     */
    public SiloBuilder scheduler(@Nullable ExecutorService scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    public Silo build() {
        SiloOptions silo = siloOptions != null ? siloOptions : new SiloOptions(defaultSiloName(), null);
        directors = PlacementDirectorRegistry.withDefaults(activationCountOptions);
        directorRegistrations.forEach(Runnable::run);
        GrainTypeRegistry registry = new GrainTypeRegistry(new PlacementStrategyResolver(defaultPlacement));
        for (Class<?> grainClass : grainClasses) {
            registry.register(grainClass);
        }
        for (GrainClassMetadata metadata : registry.grainClasses()) {
            directors.director(metadata.placementStrategy()); // fails now, not at the first call, if one is missing
        }

        long generation = nextGeneration();
        String host = advertisedHost();
        if (membershipTable == null) {
            if (endpointOptions.gatewayPort() > 0) {
                log.info(
                        "Silo {} runs on its own (no membership table): it opens no gateway on port {}; cluster "
                                + "clients connect to the gateways of clustered silos",
                        silo.siloName(),
                        endpointOptions.gatewayPort());
            }
            return assemble(silo, registry, new SiloAddress(host, endpointOptions.siloPort(), generation), null, 0);
        }
        // A silo on port 0 learns its port by binding, and its address includes the port.
        SiloMessaging messaging = new SiloMessaging(
                clusterOptions,
                new SiloAddress(host, endpointOptions.siloPort(), generation),
                messagingOptions,
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        messaging.transportSecurity(transportSecurity);
        try {
            int port = messaging.listen(endpointOptions.listenAddress(), endpointOptions.siloPort());
            SiloAddress address = new SiloAddress(host, port, generation);
            messaging.setLocalSilo(address);
            // Bound now, so a port in use fails the build like the silo port does; clients that connect
            // before the silo is Active get transient failures, which they retry.
            int gatewayPort = endpointOptions.gatewayPort() == 0
                    ? 0
                    : messaging.listenGateway(endpointOptions.listenAddress(), endpointOptions.gatewayPort());
            return assemble(silo, registry, address, messaging, gatewayPort);
        } catch (RuntimeException e) {
            messaging.close();
            throw e;
        }
    }

    private Silo assemble(
            SiloOptions silo,
            GrainTypeRegistry registry,
            SiloAddress address,
            @Nullable SiloMessaging messaging,
            int gatewayPort) {
        boolean ownsScheduler = scheduler == null;
        ExecutorService turns = ownsScheduler ? newScheduler(silo.siloName()) : scheduler;
        if (messaging != null && turns instanceof TurnScheduler turnScheduler) {
            messaging.readActivity(turnScheduler);
        }
        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(1, DaemonThreads.named("orleans-timer-" + silo.siloName()));
        timer.setRemoveOnCancelPolicy(true);

        // Built in dependency order: the silo's status, its activation table and (in a cluster) messaging
        // and membership come first, so the views, the directory and the dispatcher need no silo or catalog.
        LocalSiloStatus status = new LocalSiloStatus();
        ActivationTable activations = new ActivationTable();
        ClusterView view;
        GrainDirectory directory;
        GrainLocator locator = null;
        MessageCenter messages = null;
        WireSerializer wireSerializer = null;
        SystemTargets targets = null;
        ClusterMembershipService membership = null;
        CompletableFuture<Void> declaredDead = new CompletableFuture<>();
        if (messaging == null) {
            view = new SingleSiloClusterView(address, silo.effectiveRole(), status::get);
            directory = new InMemoryGrainDirectory();
        } else {
            view = new MembershipClusterView(address, status::get);
            SerializationTypes types = new SerializationTypes();
            registry.grainInterfaces().forEach(types::scanInterface);
            serializableTypes.forEach(types::allow);
            // The grain classes' packages hold the application's own types (and exceptions): they cross unlisted.
            registry.grainClasses().forEach(grainClass -> types.allowPackageOf(grainClass.grainClass()));
            // Observer interfaces named by grain interfaces: calls to them pass through this silo as a gateway.
            types.grainInterfaces().forEach(registry::registerObserverInterface);
            wireSerializer = new WireSerializer(
                    types,
                    messagingOptions.maxFrameBytes(),
                    messagingOptions.maxObjectDepth(),
                    messagingOptions.maxElements());
            wireSerializer.bindOrigin("silo " + address);
            messages = new MessageCenter(address, messaging, wireSerializer, registry, messagingOptions, turns);
            SystemTargets remoteTargets = new SystemTargets(messages);
            targets = remoteTargets;
            membership = new ClusterMembershipService(
                    membershipTable,
                    new MembershipEntry(
                            address,
                            SiloStatus.CREATED,
                            silo.siloName(),
                            hostName(),
                            gatewayPort,
                            silo.effectiveRole(),
                            Instant.now(),
                            Instant.now(),
                            List.of(),
                            registry.siloManifest(appVersion)),
                    membershipOptions,
                    new MessagingSiloProber(messaging, targets),
                    () -> declaredDead.complete(null),
                    Clock.systemUTC());
            if (sharedDirectory != null) {
                CachedGrainDirectory cached = new CachedGrainDirectory(sharedDirectory, address, directoryCacheSize);
                directory = cached;
                locator = cached;
            } else {
                DistributedGrainDirectory distributed = new DistributedGrainDirectory(
                        address,
                        owner -> remoteTargets.remote(SiloCluster.DIRECTORY, RemoteGrainDirectory.class, owner),
                        directoryCacheSize,
                        activations,
                        // A request from a silo that read a newer membership makes this one read the table.
                        membership::refresh,
                        turns,
                        messagingOptions.responseTimeout());
                directory = distributed;
                locator = distributed;
            }
        }
        GrainObservations observations =
                new GrainObservations(observationRegistry, address.toString(), observeGrainCalls);
        LocalReminderService reminderService = null;
        ReminderRegistry reminders = null;
        if (reminderTable != null) {
            SystemTargets reminderTargets = targets;
            reminderService = new LocalReminderService(
                    address,
                    reminderTable,
                    reminderOptions,
                    timer,
                    reminderTargets == null
                            ? null
                            : owner -> reminderTargets.remote(REMINDERS, RemoteReminderService.class, owner),
                    Clock.systemUTC(),
                    observations);
            reminders = new ReminderRegistry(reminderTable, reminderOptions, reminderService, Clock.systemUTC());
            if (targets != null) {
                LocalReminderService served = reminderService;
                targets.serve(REMINDERS, RemoteReminderService.class, sender -> served);
                membership.subscribe(snapshot -> served.membershipChanged(snapshot.activeSilos()));
            }
        }
        Catalog catalog = new Catalog(
                address,
                turns,
                timer,
                collectionOptions,
                activations,
                directory,
                activator,
                new GrainStorageRegistry(storages),
                incomingFilters,
                reminders,
                observations);
        PlacementService placement =
                new PlacementService(directors, new ClusterPlacementContext(view, preferNewestVersion));
        ResponseTimeouts timeouts = new ResponseTimeouts(messagingOptions.responseTimeout(), timer);
        MessageCenter center = messages;
        MessagingStatistics messagingStatistics = messaging == null
                ? new MessagingStatistics(null)
                : new MessagingStatistics(
                        messaging.stats(), messaging::connectedClients, center::droppedClientResponses);
        Dispatcher dispatcher = new Dispatcher(
                catalog,
                placement,
                timeouts,
                address,
                status::get,
                timer,
                retryOptions,
                locator,
                messages,
                messagingStatistics,
                callObserver,
                observations);
        GrainReferences factory = new GrainReferences(new SiloGrainCalls(registry, dispatcher), outgoingFilters);
        // Two cycles that are the runtime's nature: activations call grains (through the dispatcher, which
        // delivers to the catalog), and the message center hands incoming requests to the dispatcher, which
        // sends through it.
        catalog.bind(factory, dispatcher::forward);
        if (reminderService != null) {
            reminderService.bind(factory);
        }
        if (wireSerializer != null) {
            // References that arrive in calls become references of this silo.
            wireSerializer.bindGrainFactory(factory);
        }
        ClusterStatistics statistics = new ClusterStatistics();
        ClusterRole cluster;
        if (messaging == null) {
            cluster = new NoCluster(address, catalog, statistics, directors.activationCountDirector());
        } else {
            messages.bind(dispatcher);
            cluster = new SiloCluster(
                    address,
                    messaging,
                    messages,
                    targets,
                    membership,
                    locator,
                    (MembershipClusterView) view,
                    directors.activationCountDirector(),
                    catalog,
                    statistics,
                    joinTimeout,
                    declaredDead);
        }
        Silo built = new Silo(
                address,
                silo,
                clusterOptions,
                collectionOptions,
                registry,
                catalog,
                factory,
                timeouts,
                new Silo.Executors(turns, ownsScheduler, timer),
                directors.activationCountDirector(),
                statistics,
                messagingStatistics,
                cluster,
                status);
        if (reminderService != null) {
            LocalReminderService service = reminderService;
            ClusterView ring = view;
            built.lifecycle()
                    .subscribe("reminders", SiloLifecycle.APPLICATION_SERVICES, new SiloLifecycle.Participant() {
                        @Override
                        public void start() {
                            // A silo on its own is not Active yet at this stage, and owns every reminder.
                            service.start(messaging == null ? List.of(address) : ring.activeSilos());
                        }

                        @Override
                        public void stop(SiloLifecycle.ShutdownBudget budget) {
                            service.stop();
                        }
                    });
        }
        return built;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
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

    /**
     * Epoch milliseconds, strictly increasing within this JVM so two silos never share a generation.
     * Not seconds: a silo killed and restarted on its endpoint within the same second would get its
     * predecessor's address, find its row in the membership table and never join.
     */
    private static long nextGeneration() {
        long now = System.currentTimeMillis();
        return LAST_GENERATION.updateAndGet(last -> Math.max(last + 1, now));
    }

    private static ExecutorService newScheduler(String siloName) {
        return new TurnScheduler(siloName, Runtime.getRuntime().availableProcessors());
    }
}
