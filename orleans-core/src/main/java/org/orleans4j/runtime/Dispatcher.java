package org.orleans4j.runtime;

import io.micrometer.observation.Observation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.calls.internal.CallAttempts;
import org.orleans4j.calls.internal.CallFuture;
import org.orleans4j.calls.internal.CallRetryPolicy;
import org.orleans4j.calls.internal.GrainReference;
import org.orleans4j.calls.internal.ObserverAddress;
import org.orleans4j.catalog.GrainCallObserver;
import org.orleans4j.catalog.internal.ActivationData;
import org.orleans4j.catalog.internal.Catalog;
import org.orleans4j.catalog.internal.Request;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.directory.internal.GrainLocator;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.ObserverUnavailableException;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.internal.Futures;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.observation.OutgoingGrainCallContext;
import org.orleans4j.placement.PlacementService;
import org.orleans4j.placement.PlacementTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes grain calls: to the local activation when there is one; else, in a cluster, to the silo
 * the directory (or its cache) names; else through placement to the silo that should host the
 * grain. A call that failed in transit is sent again, found anew, when {@link CallRetryPolicy} allows
 * it (it provably did not run, or its method is idempotent), within its response timeout.
 * <p>
 * A failure before the call was handed to a connection or an activation (the directory or placement
 * could not answer, this silo takes no new activations) proves it did not run: it is raised as
 * {@link CallNotDeliveredException}, here and for the callers of calls relayed through this silo.
 */
final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    static final int MAX_FORWARD_COUNT = 2;
    private static final CompletableFuture<Object> ONE_WAY_DONE = CompletableFuture.completedFuture(null);

    private final Catalog catalog;
    private final PlacementService placement;
    private final ResponseTimeouts timeouts;
    private final SiloAddress localSilo;
    private final Supplier<SiloStatus> status;
    private final ScheduledExecutorService timer;
    private final CallRetryPolicy retryPolicy;
    /** Both null in a silo without cluster messaging. */
    private final @Nullable GrainLocator directory;

    private final @Nullable MessageCenter messages;
    /** Null where {@link #directory} is. */
    private final @Nullable OrderedWaits<GrainId, @Nullable GrainAddress, Request> lookups;

    private final MessagingStatistics messagingStatistics;
    private final GrainCallObserver callObserver;
    private final GrainObservations observations;

    Dispatcher(
            Catalog catalog,
            PlacementService placement,
            ResponseTimeouts timeouts,
            SiloAddress localSilo,
            Supplier<SiloStatus> status,
            ScheduledExecutorService timer,
            CallRetryOptions retryOptions,
            @Nullable GrainLocator directory,
            @Nullable MessageCenter messages,
            MessagingStatistics messagingStatistics,
            GrainCallObserver callObserver,
            GrainObservations observations) {
        this.catalog = catalog;
        this.placement = placement;
        this.timeouts = timeouts;
        this.localSilo = localSilo;
        this.status = status;
        this.timer = timer;
        this.directory = directory;
        this.messages = messages;
        this.messagingStatistics = messagingStatistics;
        this.callObserver = callObserver;
        this.observations = observations;
        this.retryPolicy = new CallRetryPolicy(retryOptions);
        this.lookups = directory == null ? null : new OrderedWaits<>(directory::lookup, this::routeTo);
    }

    /** Sends a call made through {@code reference}; returns what the proxy method returns. */
    @Nullable
    Object call(
            GrainId target,
            GrainClassMetadata targetClass,
            Class<?> grainInterface,
            MethodInfo method,
            @Nullable Object @Nullable [] args,
            @Nullable GrainReference reference) {
        @Nullable CompletableFuture<@Nullable Object> future = method.isOneWay() ? null : new CallFuture<>();
        Map<String, Object> context = RequestContext.export();
        Observation outgoing = null;
        Observation caller = null;
        if (observations.callsEnabled()) {
            caller = observations.current();
            OutgoingGrainCallContext observed =
                    observations.startOutgoing(target, targetClass.typeName(), method.name(), context);
            outgoing = observed.observation();
            context = observed.requestContext();
        }
        Request request = new Request(
                target, targetClass, grainInterface, method, args, ActivationData.current(), context, future);
        request.expireAt(System.nanoTime() + timeouts.timeoutNanos());
        request.reference = reference;
        if (outgoing != null) {
            request.observeWith(outgoing, caller);
        }
        if (future != null) {
            if (callObserver != GrainCallObserver.NONE) {
                request.observeWith(callObserver);
            }
            request.awaitsTimeoutTracking = true;
        }
        send(request);
        if (future != null) {
            return future;
        }
        request.sentOneWay();
        return method.returnsVoid() ? null : ONE_WAY_DONE;
    }

    void send(Request request) {
        try {
            if (ObserverAddress.isObserver(request.target())) {
                trackTimeout(request);
                sendToObserver(request, ObserverAddress.of(request.target()));
                return;
            }
            if (request.targetClass().isStatelessWorker()) {
                trackTimeout(request);
                // Workers run where they are called: once a local group exists, no placement is needed.
                if (catalog.hasWorkers(request.target())) {
                    catalog.deliverLocally(request);
                } else {
                    placeAndDeliver(request);
                }
                return;
            }
            ActivationData activation = catalog.get(request.target());
            if (activation != null) {
                trackTimeout(request);
                activation.enqueueRequest(request);
                return;
            }
            if (directory == null) {
                trackTimeout(request);
                placeAndDeliver(request);
                return;
            }
            GrainAddress cached = cachedAddress(request);
            if (cached != null && !lookups.hasWaiting(request.target())) {
                // The call the message center registers for its response carries the deadline: no tracking here.
                messages.sendRequest(request, cached.silo());
                return;
            }
            trackTimeout(request);
            lookups.add(request.target(), request);
        } catch (RuntimeException e) {
            fail(request, notSent(e), null);
        }
    }

    /**
     * The cached address of the call's grain. The grain reference it was made through keeps the cache
     * entry, so that its next call skips the lookup (a hash and a comparison of grain ids, a few cache
     * misses at a high call rate) as long as the entry stays cached.
     */
    private @Nullable GrainAddress cachedAddress(Request request) {
        DirectoryCache cache = directory.cache();
        GrainReference reference = request.reference;
        if (reference != null && reference.route() instanceof DirectoryCache.Route held) {
            GrainAddress address = cache.address(held);
            if (address != null) {
                return address;
            }
        }
        DirectoryCache.Route route = cache.route(request.target());
        if (route == null) {
            return null;
        }
        if (reference != null) {
            reference.route(route);
        }
        return route.address();
    }

    /**
     * Has {@link ResponseTimeouts} fail the call at its deadline, once, when its caller is here and waits on
     * it. A call sent to another silo straight away is not tracked so: the pending call that awaits its
     * response has the same deadline, and the message center's sweep fails it with the same exception.
     */
    private void trackTimeout(Request request) {
        if (request.awaitsTimeoutTracking) {
            request.awaitsTimeoutTracking = false;
            timeouts.track(request);
        }
    }

    /** A call to a client's observer goes to the gateway its reference names, which hands it to the client. */
    private void sendToObserver(Request request, @Nullable ObserverAddress observer) {
        if (observer == null) {
            request.respond(null, new ObserverUnavailableException("No such observer: " + request.target()));
        } else if (messages == null) {
            request.respond(
                    null,
                    new ObserverUnavailableException("Observer " + observer.id() + " is behind gateway "
                            + observer.gateway() + ", but silo " + localSilo + " runs on its own"));
        } else if (observer.gateway().equals(localSilo)) {
            messages.sendToClient(request, observer);
        } else {
            messages.sendRequest(request, observer.gateway());
        }
    }

    /**
     * A call from another silo (addressed to this one: the message center answers the others) or from a
     * client ({@code targetSilo} null): to the local activation, else created here if this silo was chosen,
     * else (a client's call) relayed, which counts as a hop.
     */
    void receive(Request request, @Nullable SiloAddress targetSilo) {
        try {
            if (ObserverAddress.isObserver(request.target())) {
                ObserverAddress observer = ObserverAddress.of(request.target());
                if (observer != null && !observer.gateway().equals(localSilo)) {
                    request.setForwardCount(request.forwardCount() + 1); // relayed on to its gateway: a hop
                }
                sendToObserver(request, observer);
                return;
            }
            ActivationData activation = catalog.get(request.target());
            if (activation != null) {
                activation.enqueueRequest(request);
            } else if (status.get().isTerminating()) {
                rejectWhileStopping(request);
            } else if (request.targetClass().isStatelessWorker() || localSilo.equals(targetSilo)) {
                // Placed here, or the directory named this silo: the activation's own registration
                // settles which activation is the grain's (a loser forwards to the winner).
                catalog.deliverLocally(request);
            } else {
                request.setForwardCount(request.forwardCount() + 1);
                send(request);
            }
        } catch (RuntimeException e) {
            request.respond(null, notSent(e));
        }
    }

    private void routeTo(Request request, CompletableFuture<@Nullable GrainAddress> lookup) {
        if (lookup.isCompletedExceptionally()) {
            fail(request, notSent(Futures.unwrap(lookup.exceptionNow())), null);
            return;
        }
        GrainAddress address = lookup.resultNow();
        try {
            if (address == null) {
                placeAndDeliver(request);
            } else if (address.silo().equals(localSilo)) {
                catalog.deliverLocally(request);
            } else {
                messages.sendRequest(request, address.silo());
            }
        } catch (RuntimeException e) {
            fail(request, notSent(e), null);
        }
    }

    /**
     * Forwarded requests (their activation went away or lost its registration) are re-sent, a bounded
     * number of times in a row. Past that the call has still not run anywhere: it fails as not delivered,
     * so its caller tries again after a backoff (the directory usually settles within one) instead of
     * chasing a moving activation without pause.
     */
    void forward(Request request) {
        if (request.forwardCount() > MAX_FORWARD_COUNT) {
            fail(
                    request,
                    new CallNotDeliveredException("Call " + request + " was forwarded more than " + MAX_FORWARD_COUNT
                            + " times in a row; it did not run"),
                    null);
            return;
        }
        if (directory != null) {
            directory.invalidate(request.target(), null);
        }
        if (request.isRemoteOrigin() && status.get().isTerminating()) {
            rejectWhileStopping(request);
            return;
        }
        send(request);
    }

    /**
     * A stopping silo neither activates nor relays a call from another silo whose activation is not
     * (or no longer) here: it sends the call back as not delivered, which the caller retries after
     * invalidating its cached address, so placement picks a live silo. The call never ran here, so the
     * retry cannot apply it twice; a relay, by contrast, could lose its response when this silo's
     * connections close, and the caller could not tell whether the call ran.
     */
    private void rejectWhileStopping(Request request) {
        messagingStatistics.requestRejectedWhileStopping();
        request.respond(
                null,
                new CallNotDeliveredException(
                        "Silo " + localSilo + " is shutting down; " + request + " was not run here"));
    }

    /**
     * An attempt of a call failed ({@code silo}: where it was sent, null if it was not). For this silo's
     * own callers {@link CallRetryPolicy} decides: the call is found and sent again after a backoff, or the
     * caller gets the failure ({@link org.orleans4j.grain.CallOutcomeUnknownException} when the call may
     * have run). A call relayed for another silo or a client goes back as it failed: its caller decides.
     */
    void fail(Request request, Throwable failure, @Nullable SiloAddress silo) {
        if (request.isOneWay()) {
            log.warn("One-way call {} failed: {}", request, failure.toString());
            return;
        }
        if (request.isRemoteOrigin()) {
            request.respond(null, failure);
            return;
        }
        if (request.isDone()) {
            return;
        }
        if (request.attempts == null) {
            request.attempts = new CallAttempts();
        }
        String where = "silo " + (silo == null ? localSilo : silo);
        long remainingNanos = status.get().isTerminating()
                ? 0
                : TimeUnit.MILLISECONDS.toNanos(request.remainingMillis(System.nanoTime(), timeouts.timeoutNanos()));
        CallRetryPolicy.Next next =
                retryPolicy.next(request.attempts, request.method(), failure, remainingNanos, request, where);
        if (!next.retries()) {
            request.respond(null, next.failure());
            return;
        }
        if (directory != null) {
            directory.invalidate(request.target(), null);
        }
        // A new attempt from its caller: the forward limit counts the hops of one attempt.
        request.setForwardCount(0);
        try {
            timer.schedule(
                    () -> {
                        if (!request.isDone()) {
                            send(request);
                        }
                    },
                    next.retryAfterMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            request.respond(
                    null,
                    retryPolicy.giveUp(
                            request.attempts, failure, request, where, "silo " + localSilo + " is stopping"));
        }
    }

    /** A failure before the call reached a connection or an activation: it did not run anywhere. */
    private static Throwable notSent(Throwable failure) {
        if (failure instanceof SiloUnavailableException && !CallRetryPolicy.provablyNotRun(failure)) {
            return new CallNotDeliveredException(failure.getMessage(), failure);
        }
        return failure;
    }

    /**
     * A caller needs a later version of {@code grainId}'s interface than this silo has: its activation here,
     * if any, deactivates, so the caller's retry places the grain on a silo of a newer build.
     */
    void deactivateIncompatible(GrainId grainId) {
        ActivationData activation = catalog.get(grainId);
        if (activation != null) {
            activation.deactivate(DeactivationReason.INCOMPATIBLE_VERSION);
        }
    }

    /** The caller's cached address of {@code grainId} proved wrong. */
    void invalidateCache(GrainId grainId, SiloAddress wrongSilo) {
        if (directory != null) {
            GrainAddress cached = directory.cached(grainId);
            if (cached != null && cached.silo().equals(wrongSilo)) {
                directory.invalidate(grainId, cached);
            }
        }
    }

    private void placeAndDeliver(Request request) {
        SiloStatus current = status.get();
        if (!current.isActive()) {
            throw new CallNotDeliveredException("Silo " + localSilo + " is " + current
                    + " and cannot place new activations (is the silo started?)");
        }
        PlacementTarget target =
                new PlacementTarget(request.target(), request.grainInterface(), request.requestContext());
        CompletableFuture<SiloAddress> chosen =
                placement.placeGrain(target, request.targetClass().placementStrategy());
        if (chosen.isDone()) {
            deliverTo(request, chosen);
        } else {
            chosen.whenComplete((silo, error) -> deliverTo(request, chosen));
        }
    }

    private void deliverTo(Request request, CompletableFuture<SiloAddress> chosen) {
        if (chosen.isCompletedExceptionally()) {
            fail(request, notSent(Futures.unwrap(chosen.exceptionNow())), null);
            return;
        }
        SiloAddress silo = chosen.resultNow();
        try {
            if (localSilo.equals(silo)) {
                catalog.deliverLocally(request);
            } else if (messages == null) {
                request.respond(
                        null,
                        new CallNotDeliveredException("Placement chose silo " + silo + " for " + request.target()
                                + ", but this silo (" + localSilo + ") runs without cluster messaging"));
            } else {
                messages.sendRequest(request, silo);
            }
        } catch (RuntimeException e) {
            fail(request, notSent(e), null);
        }
    }
}
