package org.orleans4j.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runtime's observations on one registry. With {@link ObservationRegistry#NOOP} (the
 * default of a silo or client built without one) {@link #enabled()} is false and the runtime starts
 * none, so the hot path pays one check.
 * <p>
 * Names and keys: grain type, method and outcome are low-cardinality keys (they become meter tags);
 * the grain id and the silo are high-cardinality keys (span attributes only).
 */
public final class GrainObservations {

    /** A grain call on its caller's side, from the call until its response is handed back (retries included). */
    public static final String OUTGOING_CALL = "orleans.call.outgoing";
    /** A grain call on the grain's side, from the turn it starts in until its result is handed back. */
    public static final String INCOMING_CALL = "orleans.call.incoming";
    /** An activation: directory registration, state reads and {@code onActivate}. */
    public static final String ACTIVATION = "orleans.grain.activation";
    /** A deactivation: {@code onDeactivate} and leaving the directory. */
    public static final String DEACTIVATION = "orleans.grain.deactivation";
    /** A read, write or clear of a grain's persistent state in its storage provider. */
    public static final String STORAGE = "orleans.storage";
    /** The delivery of one reminder tick to its grain. */
    public static final String REMINDER_TICK = "orleans.reminder.tick";

    /** Low cardinality: the grain type name. */
    public static final String GRAIN_TYPE = "grain.type";
    /** Low cardinality: the grain method. */
    public static final String METHOD = "method";
    /** Low cardinality: {@code success} or {@code failure}. */
    public static final String OUTCOME = "outcome";
    /** Low cardinality: {@code read}, {@code write} or {@code clear} (storage). */
    public static final String OPERATION = "operation";
    /** Low cardinality: the persistent state's name (storage), bounded by the grain classes. */
    public static final String STATE = "state";
    /** Low cardinality: why a grain deactivated. */
    public static final String REASON = "reason";
    /** High cardinality: the grain id. */
    public static final String GRAIN_ID = "grain.id";
    /** High cardinality: the silo (or client) that made the observation. */
    public static final String SILO = "orleans.silo";
    /** High cardinality: the reminder's name. */
    public static final String REMINDER = "reminder";

    /** The key of the grain id in the logging MDC during a grain's turns. */
    public static final String MDC_GRAIN_ID = "grainId";

    /** Observes nothing. */
    public static final GrainObservations NONE = new GrainObservations(ObservationRegistry.NOOP, "", false);

    private final ObservationRegistry registry;
    private final String silo;
    private final boolean calls;

    /**
     * @param registry where observations are made
     * @param silo the address of the silo or client observing, recorded on each observation
     * @param calls whether grain calls are observed too, not only activations, deactivations, storage
     *        operations and reminder ticks: two observations a call cost more than a local call itself
     */
    public GrainObservations(ObservationRegistry registry, String silo, boolean calls) {
        this.registry = registry;
        this.silo = silo;
        this.calls = calls;
    }

    /** Whether observations are made at all (the registry has handlers). */
    public boolean enabled() {
        return !registry.isNoop();
    }

    /** Whether grain calls are observed. */
    public boolean callsEnabled() {
        return calls && !registry.isNoop();
    }

    public ObservationRegistry registry() {
        return registry;
    }

    /** The observation in scope on this thread, if any. */
    public @Nullable Observation current() {
        return registry.getCurrentObservation();
    }

    /**
     * Starts the caller's observation of a call, a child of the observation in scope. The call must carry
     * the context's {@link OutgoingGrainCallContext#requestContext()}: the handlers wrote the trace into it.
     * Stop {@link OutgoingGrainCallContext#observation()} when the response is back.
     */
    public OutgoingGrainCallContext startOutgoing(
            GrainId grainId, String grainType, String method, @Nullable Map<String, Object> requestContext) {
        OutgoingGrainCallContext context = new OutgoingGrainCallContext(grainId, grainType, method, requestContext);
        // The context is kept here, not read back from the observation: a predicate that turns observations
        // off (management.observations.enable...) makes a no-op observation with a context of its own.
        context.observation(started(call(
                Observation.createNotStarted(OUTGOING_CALL, () -> context, registry), grainId, grainType, method)));
        return context;
    }

    /** Starts the grain's side of a call, continuing the trace its request context carries. */
    public Observation startIncoming(
            GrainId grainId, String grainType, String method, @Nullable Map<String, Object> requestContext) {
        IncomingGrainCallContext context = new IncomingGrainCallContext(grainId, grainType, method, requestContext);
        return started(
                call(Observation.createNotStarted(INCOMING_CALL, () -> context, registry), grainId, grainType, method));
    }

    /** Starts an activation, in the trace of the call that caused it (its request context). */
    public Observation startActivation(
            GrainId grainId, String grainType, @Nullable Map<String, Object> causeRequestContext) {
        IncomingGrainCallContext context =
                new IncomingGrainCallContext(grainId, grainType, "activate", causeRequestContext, Kind.CONSUMER);
        return started(ofGrain(
                Observation.createNotStarted(ACTIVATION, () -> context, registry)
                        .contextualName("activate " + grainType),
                grainId,
                grainType));
    }

    /** Starts a deactivation. */
    public Observation startDeactivation(GrainId grainId, String grainType, String reason) {
        return started(ofGrain(
                Observation.createNotStarted(DEACTIVATION, registry)
                        .contextualName("deactivate " + grainType)
                        .lowCardinalityKeyValue(REASON, reason),
                grainId,
                grainType));
    }

    /**
     * Starts a storage operation.
     *
     * @param parent the observation it belongs to when none is in scope (an activation reading its state)
     */
    public Observation startStorage(
            String operation, GrainId grainId, String grainType, String state, @Nullable Observation parent) {
        Observation observation = ofGrain(
                Observation.createNotStarted(STORAGE, registry)
                        .contextualName(operation + " " + grainType + "." + state)
                        .lowCardinalityKeyValue(OPERATION, operation)
                        .lowCardinalityKeyValue(STATE, state),
                grainId,
                grainType);
        if (registry.getCurrentObservation() == null && parent != null) {
            observation.parentObservation(parent);
        }
        return started(observation);
    }

    /** Starts the delivery of a reminder tick; the grain call it makes is its child. */
    public Observation startReminderTick(GrainId grainId, String grainType, String reminder) {
        return started(ofGrain(
                Observation.createNotStarted(REMINDER_TICK, registry)
                        .contextualName("reminder " + grainType)
                        .highCardinalityKeyValue(REMINDER, reminder),
                grainId,
                grainType));
    }

    /**
     * Stops {@code observation} with its outcome: a success, or {@code failure}. A handler that fails is
     * logged, not thrown: the call, activation or write it observed goes on regardless.
     */
    public static void stop(Observation observation, @Nullable Throwable failure) {
        try {
            observation.lowCardinalityKeyValue(OUTCOME, failure == null ? "success" : "failure");
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        } catch (RuntimeException e) {
            handlerFailed("stopping", observation, e);
        }
    }

    /** Opens {@code observation}'s scope on this thread; null, logged, if a handler fails. */
    public static Observation.@Nullable Scope openScope(Observation observation) {
        try {
            return observation.openScope();
        } catch (RuntimeException e) {
            handlerFailed("opening the scope of", observation, e);
            return null;
        }
    }

    /** Closes a scope {@link #openScope} opened; a handler that fails is logged. */
    public static void closeScope(Observation.Scope scope) {
        try {
            scope.close();
        } catch (RuntimeException e) {
            handlerFailed("closing the scope of", scope.getCurrentObservation(), e);
        }
    }

    /** Starts {@code observation}; a no-op one, logged, if a handler fails, so the work it observes goes on. */
    private static Observation started(Observation observation) {
        try {
            return observation.start();
        } catch (RuntimeException e) {
            handlerFailed("starting", observation, e);
            return Observation.NOOP;
        }
    }

    private static void handlerFailed(String doing, Observation observation, RuntimeException e) {
        String name = observation.getContextView().getName();
        // A broken handler fails on every call: the first failure is a warning, the rest are for debugging.
        if (HANDLER_FAILED.compareAndSet(false, true)) {
            log.warn(
                    "An observation handler failed {} '{}' (later failures are logged at debug level); the"
                            + " observed work goes on without it. Check the ObservationHandler beans and the"
                            + " tracer's configuration",
                    doing,
                    name,
                    e);
        } else {
            log.debug("An observation handler failed {} '{}'", doing, name, e);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GrainObservations.class);
    private static final AtomicBoolean HANDLER_FAILED = new AtomicBoolean();

    private Observation call(Observation observation, GrainId grainId, String grainType, String method) {
        return ofGrain(
                observation.contextualName(grainType + "/" + method).lowCardinalityKeyValue(METHOD, method),
                grainId,
                grainType);
    }

    /** The keys every observation of a grain has: its type, its id and the observing silo. */
    private Observation ofGrain(Observation observation, GrainId grainId, String grainType) {
        return observation
                .lowCardinalityKeyValue(GRAIN_TYPE, grainType)
                .highCardinalityKeyValue(GRAIN_ID, grainId.toString())
                .highCardinalityKeyValue(SILO, silo);
    }
}
