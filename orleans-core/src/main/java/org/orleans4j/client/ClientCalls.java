package org.orleans4j.client;

import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.calls.internal.CallAttempts;
import org.orleans4j.calls.internal.CallFuture;
import org.orleans4j.calls.internal.CallRetryPolicy;
import org.orleans4j.calls.internal.GrainReference;
import org.orleans4j.calls.internal.ObserverAddress;
import org.orleans4j.calls.internal.PendingCalls;
import org.orleans4j.calls.internal.PendingCalls.PendingCall;
import org.orleans4j.calls.internal.SystemInterface;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.internal.Futures;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.MessageHandler;
import org.orleans4j.messaging.internal.Messages;
import org.orleans4j.messaging.internal.ProtocolException;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.observation.OutgoingGrainCallContext;
import org.orleans4j.serialization.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's calls: serializes arguments once on the caller's thread, sends each call through a
 * gateway the {@link GatewayManager} picks, matches responses to waiting calls, and retries failures
 * in transit with the silos' own {@link CallRetryPolicy}, on whichever gateway is picked then: always
 * when the call provably did not run (no gateway connected, the call never written, the gateway or the
 * silo behind it refused it before its turn), else only for idempotent methods (the gateway's connection
 * closed mid-call, the silo behind it died). Every call has the response timeout from its first attempt,
 * retries included.
 * <p>
 * Responses are matched on the network thread (only a call sent over the connection a response came
 * on is completed by it); small ones are read there, larger ones on the client's response threads.
 * Either completes the callers' futures: continuations must not block (use the {@code ...Async}
 * variants for blocking work).
 */
final class ClientCalls {

    private static final Logger log = LoggerFactory.getLogger(ClientCalls.class);
    private static final CompletableFuture<Object> ONE_WAY_DONE = CompletableFuture.completedFuture(null);

    /** A grain call; survives retries (its body is serialized once), and its deadline with it. */
    private final class GrainCall extends PendingCall {
        final GrainId target;
        final String interfaceName;
        final int interfaceVersion;
        final MethodInfo method;
        final byte[] body;
        final @Nullable CompletableFuture<Object> future;
        final CallAttempts attempts = new CallAttempts();
        /** Where the last attempt went, for the caller's message. */
        volatile String where = "no gateway";

        GrainCall(
                GrainId target,
                Class<?> grainInterface,
                MethodInfo method,
                byte[] body,
                @Nullable CompletableFuture<Object> future) {
            super(System.nanoTime() + timeoutNanos);
            this.target = target;
            this.interfaceName = grainInterface.getName();
            this.interfaceVersion = GrainInterfaceMetadata.versionOf(grainInterface);
            this.method = method;
            this.body = body;
            this.future = future;
        }

        boolean isOneWay() {
            return future == null;
        }

        @Override
        public void complete(@Nullable Object value, @Nullable Throwable failure, boolean invalidateCache) {
            if (failure == null) {
                future.complete(value);
            } else if (CallRetryPolicy.isTransportFailure(failure)) {
                retryOrFail(this, failure);
            } else {
                future.completeExceptionally(failure);
            }
        }

        @Override
        public String toString() {
            return method + " on " + target;
        }
    }

    private static final class SystemCall extends PendingCall {
        final CompletableFuture<Object> future = new CompletableFuture<>();

        SystemCall(long deadline) {
            super(deadline);
        }

        @Override
        public void complete(@Nullable Object value, @Nullable Throwable failure, boolean invalidateCache) {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure);
            }
        }
    }

    private final SiloAddress clientAddress;
    private final ClientSerializer serializer;
    private final CallRetryPolicy retryPolicy;
    private final long timeoutNanos;
    private final PendingCalls pending = new PendingCalls();
    private final ClientObservers observers;
    private final GrainObservations observations;
    /** Calls waiting out a backoff before their next attempt: failed, not lost, if the client closes meanwhile. */
    private final Set<GrainCall> backingOff = ConcurrentHashMap.newKeySet();
    /** Reads responses off the network threads; set before the first call. */
    private volatile Executor responses = Runnable::run;
    /** Set once connected; both null before. */
    private volatile @Nullable GatewayManager gateways;

    private volatile @Nullable ScheduledExecutorService timer;
    private volatile @Nullable String closedReason;

    ClientCalls(
            SiloAddress clientAddress,
            ClientSerializer serializer,
            CallRetryOptions retryOptions,
            Duration responseTimeout,
            GrainObservations observations) {
        this.observations = observations;
        this.clientAddress = clientAddress;
        this.observers = new ClientObservers(clientAddress, serializer);
        this.serializer = serializer;
        this.retryPolicy = new CallRetryPolicy(retryOptions);
        this.timeoutNanos = responseTimeout.toNanos();
    }

    /** Where responses are read and callers completed: not the network threads, which only route. */
    void responseExecutor(Executor executor) {
        this.responses = executor;
        observers.executor(executor);
    }

    /** The client's observer objects, which gateways call. */
    ClientObservers observers() {
        return observers;
    }

    /** The client connected: calls go through these gateways from now on. */
    void start(GatewayManager gateways, ScheduledExecutorService timer) {
        this.timer = timer;
        this.gateways = gateways;
    }

    /** Fails every waiting call and every later one with {@code reason}. */
    void close(String reason) {
        closedReason = reason;
        ClusterClientException failure = new ClusterClientException(reason);
        pending.failIf(call -> true, failure);
        for (GrainCall call : backingOff) {
            if (backingOff.remove(call)) {
                call.future.completeExceptionally(failure);
            }
        }
    }

    // ---- outgoing -------------------------------------------------------------------------------

    /** A call through a client proxy; returns what the proxy method returns. */
    @Nullable
    Object call(GrainReference reference, MethodInfo method, @Nullable Object @Nullable [] args) {
        @Nullable CompletableFuture<@Nullable Object> future = method.isOneWay() ? null : new CallFuture<>();
        try {
            if (closedReason != null) {
                throw new ClusterClientException(closedReason);
            }
            if (gateways == null) {
                throw new ClusterClientException(
                        "The cluster client is not connected: call connect() before calling " + "grains");
            }
            GrainId target = reference.grainId();
            Map<String, Object> context = RequestContext.export();
            if (observations.callsEnabled()) {
                OutgoingGrainCallContext observed =
                        observations.startOutgoing(target, target.type(), method.name(), context);
                Observation observation = observed.observation();
                context = observed.requestContext();
                if (future == null) {
                    GrainObservations.stop(observation, null);
                } else {
                    future.whenComplete(
                            (v, e) -> GrainObservations.stop(observation, e == null ? null : Futures.unwrap(e)));
                }
            }
            byte[] body = serializer.current().serializeCall(args, context);
            send(new GrainCall(target, reference.grainInterface(), method, body, future));
        } catch (RuntimeException e) {
            if (future == null) {
                throw e;
            }
            future.completeExceptionally(e);
        }
        if (future != null) {
            return future;
        }
        return method.returnsVoid() ? null : ONE_WAY_DONE;
    }

    private void send(GrainCall call) {
        if (closedReason != null) {
            fail(call, new ClusterClientException(closedReason));
            return;
        }
        GatewayManager.Gateway gateway = gateways.select(call.target);
        if (gateway == null) {
            call.where = "no gateway";
            retryOrFail(call, new CallNotDeliveredException("No gateway is connected (" + gateways.describe() + ")"));
            return;
        }
        call.where = "gateway " + gateway.endpoint();
        SiloConnection connection = gateway.connection();
        if (connection == null) {
            retryOrFail(
                    call, new CallNotDeliveredException("The connection to gateway " + gateway.endpoint() + " closed"));
            return;
        }
        call.where = "gateway " + gateway.endpoint() + " (silo " + connection.peer() + ")";
        long timeToLive = TimeUnit.NANOSECONDS.toMillis(call.deadlineNanos() - System.nanoTime());
        boolean oneWay = call.isOneWay();
        if (timeToLive <= 0 && !oneWay) {
            call.future.completeExceptionally(
                    new ResponseTimeoutException(call + " got no response within " + Duration.ofNanos(timeoutNanos)
                            + " (" + call.attempts.failures() + " attempts failed in transit)"));
            return;
        }
        long id = 0;
        if (!oneWay) {
            call.sentVia(connection);
            id = pending.register(call);
        }
        Message message = Messages.grainCall(
                id,
                call.target,
                null,
                null,
                clientAddress,
                call.interfaceName,
                call.interfaceVersion,
                call.method.id(),
                Math.max(1, timeToLive),
                0,
                call.body);
        long correlationId = id;
        connection.post(message, failure -> {
            if (oneWay) {
                log.warn(
                        "One-way call {} through gateway {} was lost: {}",
                        call,
                        gateway.endpoint(),
                        failure.toString());
            } else {
                pending.fail(correlationId, sendFailure(call + " to gateway " + gateway.endpoint(), failure));
            }
        });
    }

    /**
     * A message that could not be posted: never written (not delivered), written in part (the gateway may
     * have taken it), or not encodable (the caller's failure, not retried).
     */
    private static Throwable sendFailure(String what, Throwable failure) {
        if (CallRetryPolicy.provablyNotRun(failure)) {
            return new CallNotDeliveredException("Could not send " + what + ": " + failure.getMessage(), failure);
        }
        if (CallRetryPolicy.isTransportFailure(failure)) {
            return new SiloUnavailableException(
                    "Could not send " + what + " (it may have been written in part): " + failure.getMessage(), failure);
        }
        return failure;
    }

    /** The system target {@code name} of the gateway at the other end of {@code connection}, answering within {@code timeout}. */
    <T> T systemTarget(SiloConnection connection, String name, Class<T> type, Duration timeout) {
        return SystemInterface.of(name, type).proxy("Gateway " + connection.peer(), new SystemInterface.Transport() {
            @Override
            public CompletableFuture<Object> call(int operation, Object[] args) {
                return callSystem(connection, name, operation, args, timeout);
            }

            @Override
            public void notify(int operation, Object[] args) {
                throw new UnsupportedOperationException("A client sends no one-way notices to system targets");
            }
        });
    }

    private CompletableFuture<Object> callSystem(
            SiloConnection connection, String name, int operation, Object[] args, Duration timeout) {
        SystemCall call = new SystemCall(System.nanoTime() + timeout.toNanos());
        byte[] body;
        try {
            body = serializer.current().serializeArgs(args);
        } catch (SerializationException e) {
            return CompletableFuture.failedFuture(e);
        }
        call.sentVia(connection);
        long id = pending.register(call);
        connection.post(
                Messages.systemCall(
                        id, name, connection.peer(), clientAddress, operation, Math.max(1, timeout.toMillis()), body),
                failure -> pending.fail(id, sendFailure(name + " to gateway " + connection.peer(), failure)));
        return call.future;
    }

    /** A failure in transit: tried again after the policy's backoff if the policy allows it and time is left. */
    private void retryOrFail(GrainCall call, Throwable failure) {
        if (call.isOneWay()) {
            log.warn("One-way call {} was lost: {}", call, failure.toString());
            return;
        }
        if (call.future.isDone()) {
            return;
        }
        if (closedReason != null) {
            call.future.completeExceptionally(new ClusterClientException(closedReason, failure));
            return;
        }
        CallRetryPolicy.Next next = retryPolicy.next(
                call.attempts, call.method, failure, call.deadlineNanos() - System.nanoTime(), call, call.where);
        if (!next.retries()) {
            call.future.completeExceptionally(next.failure());
            return;
        }
        backingOff.add(call);
        try {
            timer.schedule(
                    () -> {
                        if (backingOff.remove(call)) {
                            send(call);
                        }
                    },
                    next.retryAfterMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            if (backingOff.remove(call)) {
                call.future.completeExceptionally(
                        retryPolicy.giveUp(call.attempts, failure, call, call.where, "the cluster client is closing"));
            }
        }
    }

    private void fail(GrainCall call, Throwable failure) {
        if (call.isOneWay()) {
            log.warn("One-way call {} was lost: {}", call, failure.toString());
        } else {
            call.future.completeExceptionally(failure);
        }
    }

    // ---- incoming -------------------------------------------------------------------------------

    /**
     * A message from a gateway, on its connection's event loop: completes only a call sent over that very
     * connection; the response is read on the response executor.
     */
    void onMessage(Message message, SiloConnection from) {
        if (message.direction() != Message.Direction.RESPONSE) {
            if (!ObserverAddress.isObserver(message.targetGrain())) {
                throw new ProtocolException("gateway " + from.peer() + " sent a " + message.direction() + " to "
                        + message.targetGrain() + "; a cluster client takes calls to its observers only");
            }
            observers.onCall(message, from);
            return;
        }
        PendingCall call = pending.take(message, from);
        if (call == null) {
            return; // timed out, failed when its connection closed, or not this connection's to answer
        }
        if (message.body().length <= MessageHandler.INLINE_BODY_BYTES) {
            PendingCalls.complete(
                    call,
                    message,
                    serializer.current()); // bounded by its size, and a hand-off would cost a thread wake-up per call
            return;
        }
        try {
            responses.execute(() -> PendingCalls.complete(call, message, serializer.current()));
        } catch (RejectedExecutionException closing) {
            call.complete(null, new ClusterClientException("The cluster client was closed"), false);
        }
    }

    /**
     * The connection to a gateway closed: the calls waiting on it may have run, so only idempotent ones
     * are tried again elsewhere.
     */
    void connectionClosed(SiloConnection connection, String endpoint) {
        pending.failSentVia(
                connection,
                new SiloUnavailableException("The connection to gateway " + endpoint + " (silo " + connection.peer()
                        + ") closed while the call was waiting for its response"));
    }

    /** Fails the calls whose response is overdue; runs periodically. */
    void sweep() {
        pending.failOverdue(System.nanoTime(), call -> {
            SiloConnection via = call.via();
            return new ResponseTimeoutException("No response " + (via == null ? "" : "from gateway " + via.peer() + " ")
                    + "within " + Duration.ofNanos(timeoutNanos));
        });
    }

    /** How often {@link #sweep} should run. */
    Duration sweepPeriod() {
        return PendingCalls.sweepPeriod(Duration.ofNanos(timeoutNanos));
    }

    /** Calls waiting for a response now. */
    int pendingCount() {
        return pending.size();
    }
}
