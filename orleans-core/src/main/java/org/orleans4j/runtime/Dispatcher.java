package org.orleans4j.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.orleans4j.catalog.ActivationData;
import org.orleans4j.catalog.Catalog;
import org.orleans4j.catalog.Futures;
import org.orleans4j.catalog.Request;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.placement.PlacementService;
import org.orleans4j.placement.PlacementTarget;

/**
 * Routes grain calls: to the local activation when there is one, else through placement to the
 * silo that should host the grain.
 */
final class Dispatcher {

    static final int MAX_FORWARD_COUNT = 2;
    private static final CompletableFuture<Object> ONE_WAY_DONE = CompletableFuture.completedFuture(null);

    private final Catalog catalog;
    private final PlacementService placement;
    private final ResponseTimeouts timeouts;
    private final SiloAddress localSilo;
    private final Supplier<SiloStatus> status;

    Dispatcher(Catalog catalog, PlacementService placement, ResponseTimeouts timeouts, SiloAddress localSilo,
            Supplier<SiloStatus> status) {
        this.catalog = catalog;
        this.placement = placement;
        this.timeouts = timeouts;
        this.localSilo = localSilo;
        this.status = status;
    }

    /** Sends a call made through a grain reference; returns what the proxy method returns. */
    Object call(GrainReference reference, MethodInfo method, Object[] args) {
        CompletableFuture<Object> future = method.isOneWay() ? null : new CompletableFuture<>();
        Request request = new Request(reference.grainId(), reference.grainClass(), reference.grainInterface(), method,
                args, ActivationData.current(), RequestContext.export(), future);
        if (future != null) {
            timeouts.track(request);
        }
        send(request);
        if (future != null) {
            return future;
        }
        return method.returnsVoid() ? null : ONE_WAY_DONE;
    }

    void send(Request request) {
        try {
            if (request.targetClass().isStatelessWorker()) {
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
                activation.enqueueRequest(request);
                return;
            }
            placeAndDeliver(request);
        } catch (RuntimeException e) {
            request.respond(null, e);
        }
    }

    /** Forwarded requests (their activation went away) are re-sent, a bounded number of times. */
    void forward(Request request) {
        if (request.forwardCount() > MAX_FORWARD_COUNT) {
            request.respond(null, new GrainException("Call " + request + " was forwarded more than "
                    + MAX_FORWARD_COUNT + " times; giving up"));
            return;
        }
        send(request);
    }

    private void placeAndDeliver(Request request) {
        SiloStatus current = status.get();
        if (!current.isActive()) {
            throw new SiloUnavailableException("Silo " + localSilo + " is " + current
                    + " and cannot place new activations (is the silo started?)");
        }
        PlacementTarget target = new PlacementTarget(request.target(), request.grainInterface(), request.requestContext());
        CompletableFuture<SiloAddress> chosen = placement.placeGrain(target, request.targetClass().placementStrategy());
        if (chosen.isDone()) {
            deliverTo(request, chosen);
        } else {
            chosen.whenComplete((silo, error) -> deliverTo(request, chosen));
        }
    }

    private void deliverTo(Request request, CompletableFuture<SiloAddress> chosen) {
        if (chosen.isCompletedExceptionally()) {
            request.respond(null, Futures.unwrap(chosen.exceptionNow()));
            return;
        }
        SiloAddress silo = chosen.resultNow();
        if (!localSilo.equals(silo)) {
            request.respond(null, new SiloUnavailableException("Placement chose silo " + silo + " for " + request.target()
                    + ", but this silo (" + localSilo + ") runs without cluster messaging"));
            return;
        }
        try {
            catalog.deliverLocally(request);
        } catch (RuntimeException e) {
            request.respond(null, e);
        }
    }
}
