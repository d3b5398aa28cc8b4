package org.orleans4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.ObserverAddress;
import org.orleans4j.calls.internal.PendingCalls;
import org.orleans4j.calls.internal.PendingCalls.PendingCall;
import org.orleans4j.calls.internal.SystemInterface;
import org.orleans4j.catalog.internal.Request;
import org.orleans4j.cluster.AppVersions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.ObserverUnavailableException;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.internal.Futures;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipSnapshot;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.UnauthorizedRequestException;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.MessageHandler;
import org.orleans4j.messaging.internal.Messages;
import org.orleans4j.messaging.internal.PeerLog;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.metadata.RemoteManifest;
import org.orleans4j.serialization.SerializationException;
import org.orleans4j.serialization.internal.WireSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grain calls and system calls between silos: turns outgoing calls into messages (arguments
 * serialized on the caller's thread), matches responses to the calls waiting for them, and turns
 * incoming messages into requests for the dispatcher or calls of a system target (the directory,
 * statistics, membership gossip). A call to a silo known dead fails at once; calls waiting on a
 * silo that dies or whose connection closes fail with {@link SiloUnavailableException} (they may have
 * run), calls that provably did not run (no connection, never written, refused by the receiver before
 * their turn) with {@link CallNotDeliveredException}, so callers retry only what is safe to retry.
 * <p>
 * As a gateway it takes calls from cluster clients: they enter like calls from another silo that
 * names no target silo (routed by the dispatcher: local activation, directory, placement), and their
 * responses go back over the client's own connection, since nobody can connect to a client. A client
 * may call grains and the system targets open to clients (the manifest), nothing else.
 * <p>
 * Nothing a message says about its origin is taken on trust: the sender is the connection's handshaken
 * peer (checked by the messaging layer), a response completes only a call sent over the connection it
 * came on, a reply goes back over the connection its request came on (or, if that closed, to a live
 * member), and a request addressed to another silo or generation is answered "unavailable", never
 * relayed. On the event loop only the header and bodies of at most {@link MessageHandler#INLINE_BODY_BYTES} are read;
 * larger arguments and results are read on the turn threads; each connection may have at most
 * {@link MessagingOptions#maxInflightRequests()} requests waiting here.
 */
final class MessageCenter {

    private static final Logger log = LoggerFactory.getLogger(MessageCenter.class);
    private static final PeerLog peerLog = new PeerLog(log);
    /** Hops a request may have made before it reaches here: forwards after lost registrations and one gateway relay. */
    static final int MAX_HOPS = Dispatcher.MAX_FORWARD_COUNT + 1;

    static final String SYSTEM_TYPE = Message.SYSTEM_GRAIN_TYPE;
    /** Which grain types implement which interfaces (see {@link GrainTypeRegistry#manifest()}); open to clients. */
    static final String MANIFEST = Message.MANIFEST_TARGET;

    /** A service every silo runs, addressed by name rather than by grain id. */
    @FunctionalInterface
    interface SystemTarget {
        /** Returns the result, or a {@link CompletableFuture} of it. */
        @Nullable
        Object invoke(SiloAddress sender, int operation, @Nullable Object[] args);
    }

    /** A call waiting for its response from another silo. */
    private abstract static class Pending extends PendingCall {
        final SiloAddress target;

        Pending(SiloAddress target, long deadlineNanos) {
            super(deadlineNanos);
            this.target = target;
        }
    }

    private final class GrainCall extends Pending {
        final Request request;

        GrainCall(Request request, SiloAddress target, long deadlineNanos) {
            super(target, deadlineNanos);
            this.request = request;
        }

        @Override
        public void complete(@Nullable Object value, @Nullable Throwable failure, boolean invalidateCache) {
            if (invalidateCache) {
                dispatcher.invalidateCache(request.target(), target);
            }
            if (failure != null) {
                dispatcher.fail(request, failure, target);
            } else {
                request.respond(value, null);
            }
        }
    }

    /**
     * A client's call to a grain type this gateway's build lacks, relayed to a silo whose build hosts it
     * (during a rolling upgrade): its answer goes back to the client as it came, never read here.
     */
    private final class RelayedCall extends Pending {
        final Message request;
        final SiloConnection client;

        RelayedCall(Message request, SiloConnection client, SiloAddress target, long deadlineNanos) {
            super(target, deadlineNanos);
            this.request = request;
            this.client = client;
        }

        /** The call failed on its way (the host went away, or it timed out): the client gets the failure. */
        @Override
        public void complete(@Nullable Object value, @Nullable Throwable failure, boolean invalidateCache) {
            reply(request, client, value, failure, false);
        }

        void relay(Message response) {
            try {
                send(
                        Messages.response(request, client.peer(), localSilo, false, response.status(), response.body()),
                        client);
            } finally {
                client.requestDone();
            }
        }
    }

    private static final class SystemCall extends Pending {
        final CompletableFuture<@Nullable Object> future = new CompletableFuture<>();

        SystemCall(SiloAddress target, long deadlineNanos) {
            super(target, deadlineNanos);
        }

        @Override
        public void complete(@Nullable Object value, @Nullable Throwable failure, boolean invalidateCache) {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(value);
            }
        }
    }

    private final SiloAddress localSilo;
    private final SiloMessaging messaging;
    private final WireSerializer serializer;
    private final GrainTypeRegistry registry;
    private final long timeoutNanos;
    private final PendingCalls pending = new PendingCalls();
    /** Messages to silos whose connection is being opened, sent in the order posted once it is. */
    private final OrderedWaits<SiloAddress, SiloConnection, WaitingPost> awaitingConnection;

    private final Map<String, SystemTarget> systemTargets = new ConcurrentHashMap<>();
    /** The system targets a cluster client may call; the others (directory, membership) are for silos only. */
    private final Set<String> clientTargets = ConcurrentHashMap.newKeySet();

    private final LongAdder droppedClientResponses = new LongAdder();
    private final Executor inbound;
    private final int maxInflightRequests;
    /** The answer to a request over the in-flight limit: the same bytes every time, made once. */
    private final byte[] overloadedBody;

    private volatile ClusterMembershipSnapshot members = ClusterMembershipSnapshot.EMPTY;
    /**
     * The status of each member of {@link #members}, hashed: every call asks whether its target is dead,
     * and the snapshot's sorted map compares whole addresses to answer.
     */
    private volatile Map<SiloAddress, SiloStatus> statuses = Map.of();
    /** The members listed as Dead: every call asks whether its target is one, and they are few, often none. */
    private volatile SiloAddress[] dead = new SiloAddress[0];
    /** Null until the silo is assembled: the gateway listens (and clients may call) a moment before that. */
    private volatile @Nullable Dispatcher dispatcher;

    MessageCenter(
            SiloAddress localSilo,
            SiloMessaging messaging,
            WireSerializer serializer,
            GrainTypeRegistry registry,
            MessagingOptions options,
            Executor inbound) {
        this.localSilo = localSilo;
        this.messaging = messaging;
        this.serializer = serializer;
        this.registry = registry;
        this.inbound = inbound;
        this.awaitingConnection = new OrderedWaits<>(messaging::connection, this::postWhenConnected);
        this.timeoutNanos = options.responseTimeout().toNanos();
        this.maxInflightRequests = options.maxInflightRequests();
        this.overloadedBody = serializer.serializeFailure(new CallNotDeliveredException("Silo " + localSilo
                + " is overloaded: more than " + maxInflightRequests + " requests from this connection are waiting"
                + " (orleans.messaging.max-inflight-requests)"));
        messaging.onMessage(this::onMessage);
        messaging.onConnectionClosed(this::connectionClosed);
        SystemInterface<RemoteManifest> manifest = SystemInterface.of(MANIFEST, RemoteManifest.class);
        RemoteManifest local = () -> CompletableFuture.completedFuture(registry.manifest());
        addSystemTarget(MANIFEST, (sender, operation, args) -> manifest.invoke(local, operation, args));
        clientTargets.add(MANIFEST);
    }

    void bind(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    void addSystemTarget(String name, SystemTarget target) {
        systemTargets.put(name, target);
    }

    /** The membership as last read: who is dead, who may be answered, who may send statistics. */
    void members(ClusterMembershipSnapshot snapshot) {
        Map<SiloAddress, SiloStatus> byAddress = new HashMap<>();
        snapshot.members().forEach((silo, member) -> byAddress.put(silo, member.status()));
        this.statuses = Map.copyOf(byAddress);
        this.dead = byAddress.entrySet().stream()
                .filter(entry -> entry.getValue() == SiloStatus.DEAD)
                .map(Map.Entry::getKey)
                .toArray(SiloAddress[]::new);
        this.members = snapshot;
    }

    private SiloStatus statusOf(SiloAddress silo) {
        return statuses.getOrDefault(silo, SiloStatus.NONE);
    }

    /** Whether the membership lists {@code silo} as Joining, Active or ShuttingDown. */
    boolean isLiveMember(SiloAddress silo) {
        SiloStatus status = statusOf(silo);
        return status == SiloStatus.JOINING || status == SiloStatus.ACTIVE || status == SiloStatus.SHUTTING_DOWN;
    }

    /** Whether the membership lists {@code silo} as Active. */
    boolean isActiveMember(SiloAddress silo) {
        return statusOf(silo) == SiloStatus.ACTIVE;
    }

    /** Whether the membership lists {@code silo} as Dead. */
    boolean isDeadMember(SiloAddress silo) {
        // An address keeps its hash: comparing it first spares the comparison of hosts for every live target.
        for (SiloAddress member : dead) {
            if (member.hashCode() == silo.hashCode() && member.equals(silo)) {
                return true;
            }
        }
        return false;
    }

    // ---- outgoing -------------------------------------------------------------------------------

    /** Sends a grain call to the silo that hosts (or is to host) its target. */
    void sendRequest(Request request, SiloAddress target) {
        if (isDeadMember(target)) {
            dispatcher.fail(
                    request,
                    new CallNotDeliveredException("Silo " + target + " is dead; " + request + " was not sent"),
                    target);
            return;
        }
        Outgoing outgoing = outgoing(request, target);
        if (outgoing == null) {
            return;
        }
        boolean oneWay = request.isOneWay();
        GrainCall call = outgoing.call();
        long id = outgoing.message().correlationId();
        Message message = outgoing.message();
        post(target, message, call, failure -> {
            if (oneWay) {
                log.warn("One-way call {} to {} was lost: {}", request, target, failure.toString());
            } else {
                pending.fail(id, failure);
            }
        });
    }

    /**
     * A call to an observer of a client connected to this gateway: over the client's connection, its answer
     * matched on that connection. Fails at once, counted, when the client is not connected here (any more).
     */
    void sendToClient(Request request, ObserverAddress observer) {
        SiloConnection client = messaging.clientConnection(observer.client());
        if (client == null) {
            messaging.stats().reject(Rejection.OBSERVER_GONE);
            request.respond(
                    null,
                    new ObserverUnavailableException("Observer " + observer.id() + " of client " + observer.client()
                            + " is gone: the client is not connected to gateway " + localSilo + " any more"));
            return;
        }
        Outgoing outgoing = outgoing(request, observer.client());
        if (outgoing == null) {
            return;
        }
        boolean oneWay = request.isOneWay();
        long id = outgoing.message().correlationId();
        Message message = outgoing.message();
        if (outgoing.call() != null) {
            outgoing.call().sentVia(client);
        }
        client.post(message, failure -> {
            if (oneWay) {
                log.debug("One-way call {} to client {} was lost: {}", request, observer.client(), failure.toString());
            } else {
                pending.fail(
                        id,
                        new ObserverUnavailableException("Observer " + observer.id() + " of client " + observer.client()
                                + " could not be called: " + failure.getMessage()));
            }
        });
    }

    /** A grain call as it goes out, and the pending call that waits for its answer (none when one-way). */
    private record Outgoing(Message message, @Nullable GrainCall call) {}

    /**
     * The message of {@code request} to {@code target}, its answer awaited under a new correlation id;
     * {@code null} when the request failed instead (it expired, or its arguments could not be serialized).
     */
    private @Nullable Outgoing outgoing(Request request, SiloAddress target) {
        // One clock read per call: on virtual machines (kvm-clock) each costs tens of nanoseconds.
        long now = System.nanoTime();
        long timeToLive = request.remainingMillis(now, timeoutNanos);
        if (timeToLive <= 0) {
            request.respond(
                    null, new ResponseTimeoutException(request + " expired before it could be sent to " + target));
            return null;
        }
        byte[] body;
        try {
            body = serializer.serializeCall(request.args(), request.requestContext());
        } catch (SerializationException e) {
            request.respond(null, e);
            return null;
        }
        GrainCall call =
                request.isOneWay() ? null : new GrainCall(request, target, request.deadlineNanosOr(now + timeoutNanos));
        long id = call == null ? 0 : pending.register(call);
        Message message = Messages.grainCall(
                id,
                request.target(),
                target,
                request.caller() == null ? null : request.caller().grainId(),
                localSilo,
                request.grainInterface().getName(),
                GrainInterfaceMetadata.versionOf(request.grainInterface()),
                request.method().id(),
                timeToLive,
                request.forwardCount(),
                body);
        return new Outgoing(message, call);
    }

    /** Calls a system target of another silo. */
    CompletableFuture<@Nullable Object> callSystem(
            SiloAddress target, String name, int operation, @Nullable Object[] args) {
        if (isDeadMember(target)) {
            return CompletableFuture.failedFuture(new CallNotDeliveredException("Silo " + target + " is dead"));
        }
        byte[] body;
        try {
            body = serializer.serializeArgs(args);
        } catch (SerializationException e) {
            return CompletableFuture.failedFuture(e);
        }
        SystemCall call = new SystemCall(target, System.nanoTime() + timeoutNanos);
        long id = pending.register(call);
        post(target, systemMessage(id, target, name, operation, body), call, failure -> pending.fail(id, failure));
        return call.future;
    }

    /** Tells a system target of another silo something; no answer, failures only logged. */
    void notifySystem(SiloAddress target, String name, int operation, @Nullable Object[] args) {
        post(
                target,
                systemMessage(0, target, name, operation, serializer.serializeArgs(args)),
                null,
                failure -> log.debug(
                        "Notification {} to {} of {} was lost: {}", operation, name, target, failure.toString()));
    }

    /** A system call under {@code id} (0: one-way). */
    private Message systemMessage(long id, SiloAddress target, String name, int operation, byte[] body) {
        return Messages.systemCall(
                id, name, target, localSilo, operation, TimeUnit.NANOSECONDS.toMillis(timeoutNanos), body);
    }

    /** Posts {@code message} over the connection to {@code target}; {@code call}, if any, remembers that connection. */
    private void post(SiloAddress target, Message message, @Nullable Pending call, Consumer<Throwable> onFailure) {
        CompletableFuture<SiloConnection> connection = messaging.connection(target);
        if (connection.isDone() && !awaitingConnection.hasWaiting(target)) {
            postOver(target, connection, message, call, onFailure);
            return;
        }
        // Opening (or just opened, with messages still to go out before this one): in the order posted.
        awaitingConnection.add(target, new WaitingPost(target, message, call, onFailure));
    }

    /** A message posted while its connection was being opened. */
    private record WaitingPost(
            SiloAddress target, Message message, @Nullable Pending call, Consumer<Throwable> onFailure) {}

    private void postWhenConnected(WaitingPost waiting, CompletableFuture<SiloConnection> connection) {
        postOver(waiting.target(), connection, waiting.message(), waiting.call(), waiting.onFailure());
    }

    /** Posts over {@code connection}, which is done: if it failed, {@code message} fails as not delivered. */
    private static void postOver(
            SiloAddress target,
            CompletableFuture<SiloConnection> connection,
            Message message,
            @Nullable Pending call,
            Consumer<Throwable> onFailure) {
        if (connection.isCompletedExceptionally()) {
            Throwable error = Futures.unwrap(connection.exceptionNow());
            onFailure.accept(new CallNotDeliveredException(
                    "Could not connect to silo " + target + ": " + error.getMessage(), error));
            return;
        }
        SiloConnection open = connection.resultNow();
        if (call != null) {
            call.sentVia(open);
        }
        open.post(message, onFailure);
    }

    // ---- incoming -------------------------------------------------------------------------------

    /**
     * On the event loop: a response completes the call waiting on this very connection; a request is
     * counted against the connection's in-flight limit, or answered "overloaded" at once. Large bodies
     * are read and handled on a turn thread.
     */
    private void onMessage(Message message, SiloConnection from) {
        switch (message.direction()) {
            case RESPONSE -> {
                // A client answers only calls to its observers: a response completes a call sent over that very
                // connection, so no peer can complete another's calls.
                PendingCall call = pending.take(message, from);
                if (call == null) {
                    messaging.stats().reject(Rejection.UNMATCHED_RESPONSE);
                    return;
                }
                if (call instanceof RelayedCall relayed) {
                    relayed.relay(message);
                    return;
                }
                if (message.body().length <= MessageHandler.INLINE_BODY_BYTES) {
                    PendingCalls.complete(call, message, serializer);
                } else {
                    execute(
                            () -> PendingCalls.complete(call, message, serializer),
                            () -> call.complete(
                                    null, new SiloUnavailableException("Silo " + localSilo + " is stopping"), false));
                }
            }
            case REQUEST, ONE_WAY -> {
                if (!from.tryAcceptRequest(maxInflightRequests)) {
                    messaging.stats().reject(Rejection.OVERLOADED);
                    if (message.direction() == Message.Direction.REQUEST) {
                        from.post(
                                Messages.response(
                                        message, from.peer(), localSilo, false, Message.FAILED, overloadedBody),
                                error -> log.debug(
                                        "An overloaded answer to {} was lost: {}", from.peer(), error.toString()));
                    }
                    return;
                }
                long receivedNanos = System.nanoTime();
                if (message.body().length <= MessageHandler.INLINE_BODY_BYTES) {
                    onRequest(message, from, receivedNanos);
                } else {
                    execute(() -> onRequest(message, from, receivedNanos), from::requestDone);
                }
            }
        }
    }

    /** Runs {@code task} on a turn thread; {@code onRejected} when the silo is stopping and takes no more. */
    private void execute(Runnable task, Runnable onRejected) {
        try {
            inbound.execute(task);
        } catch (RejectedExecutionException stopping) {
            onRejected.run();
        }
    }

    /** On a turn thread: a request from another silo, or from a client through this gateway. */
    private void onRequest(Message message, SiloConnection from, long receivedNanos) {
        boolean oneWay = message.direction() == Message.Direction.ONE_WAY;
        try {
            if (SYSTEM_TYPE.equals(message.targetGrain().type())) {
                onSystemRequest(message, from);
            } else {
                onGrainRequest(message, from, receivedNanos);
            }
        } catch (RuntimeException e) {
            if (oneWay) {
                log.warn("A one-way message from {} failed: {}", from.peer(), e.toString());
            } else {
                reply(message, from, null, e, false);
            }
        } finally {
            if (oneWay) {
                from.requestDone();
            }
        }
    }

    /** A grain call from another silo, or from a client through this gateway. */
    private void onGrainRequest(Message message, SiloConnection from, long receivedNanos) {
        Dispatcher dispatcher = this.dispatcher;
        if (dispatcher == null) {
            // Not run, so safe to retry: the client's retry goes to another gateway, or here once started.
            refuse(
                    message,
                    from,
                    new CallNotDeliveredException(
                            "Silo " + localSilo + " is starting; call " + message.targetGrain() + " again"),
                    false);
            return;
        }
        @Nullable SiloConnection client = from.isClient() ? from : null;
        boolean answer = message.direction() == Message.Direction.REQUEST;
        if (client == null && !localSilo.equals(message.targetSilo())) {
            // Meant for another silo, or for an earlier generation of this one: relaying could loop; the caller fixes
            // its cache.
            messaging.stats().reject(Rejection.MISADDRESSED_REQUEST);
            refuse(
                    message,
                    from,
                    new CallNotDeliveredException("Silo " + message.targetSilo() + " is not running at "
                            + localSilo.endpoint() + " (silo " + localSilo + " is)"),
                    true);
            return;
        }
        if (message.forwardCount() > MAX_HOPS) {
            messaging.stats().reject(Rejection.HOP_LIMIT);
            refuse(
                    message,
                    from,
                    new GrainException("Call to " + message.targetGrain() + " was relayed " + message.forwardCount()
                            + " times; giving up"),
                    false);
            return;
        }
        Request request;
        try {
            boolean toObserver = ObserverAddress.isObserver(message.targetGrain());
            GrainInterfaceMetadata grainInterface = toObserver
                    ? registry.observerInterfaceByName(message.interfaceName())
                    : registry.interfaceByName(message.interfaceName());
            if (client != null
                    && !toObserver
                    && (grainInterface == null
                            || !registry.hasType(message.targetGrain().type()))) {
                // A client's call to a type this build lacks (a rolling upgrade): a silo that has it answers.
                relayToHost(message, client, receivedNanos);
                return;
            }
            if (toObserver && grainInterface == null) {
                throw new GrainException("No observer interface " + message.interfaceName() + " on silo " + localSilo);
            }
            GrainClassMetadata grainClass = toObserver
                    ? registry.observerTarget(grainInterface.grainInterface())
                    : registry.byTypeName(message.targetGrain().type());
            if (grainInterface == null || !grainInterface.grainInterface().isAssignableFrom(grainClass.grainClass())) {
                throw new GrainException("Grain type '" + message.targetGrain().type() + "' does not implement "
                        + message.interfaceName() + " on silo " + localSilo);
            }
            if (!toObserver && message.interfaceVersion() > grainInterface.version()) {
                // Not run here: a retry places the grain on a silo of the caller's build or later.
                dispatcher.deactivateIncompatible(message.targetGrain());
                messaging.stats().reject(Rejection.INCOMPATIBLE_VERSION);
                refuse(
                        message,
                        from,
                        new CallNotDeliveredException("Silo " + localSilo + " has version "
                                + grainInterface.version() + " of " + message.interfaceName() + ", the caller "
                                + message.interfaceVersion() + "; the grain moves to a silo of a newer build"),
                        true);
                return;
            }
            MethodInfo method = grainInterface.method(message.methodId());
            if (method == null) {
                throw new GrainException("No method with id " + message.methodId() + " on " + message.interfaceName()
                        + " on silo " + localSilo + " (do the silos run different versions of it?)");
            }
            WireSerializer.CallBody body = serializer.deserializeCall(message.body());
            request = new Request(
                    message.targetGrain(),
                    grainClass,
                    grainInterface.grainInterface(),
                    method,
                    body.args(),
                    null,
                    body.requestContext(),
                    null);
        } catch (GrainException e) {
            refuse(message, from, e, false);
            return;
        }
        long timeToLive = timeToLiveNanos(message);
        request.expireAt(receivedNanos + timeToLive);
        // A client's call enters as a fresh call: where it goes is the gateway's to decide, not the client's.
        int receivedForwardCount = client == null ? message.forwardCount() : 0;
        request.setForwardCount(receivedForwardCount);
        if (answer) {
            request.setOrigin((r, value, failure) -> {
                if (failure instanceof ResponseTimeoutException && r.isExpired(System.nanoTime())) {
                    messaging.stats().reject(Rejection.EXPIRED_REQUEST);
                } else if (failure != null && !(failure instanceof GrainException) && log.isDebugEnabled()) {
                    // The grain's own exception: the caller gets it with this trace; here it is for whoever debugs.
                    log.debug("{} from {} failed on this silo", r, from.peer(), failure);
                }
                reply(message, from, value, failure, r.forwardCount() > receivedForwardCount);
            });
        }
        dispatcher.receive(request, client == null ? message.targetSilo() : null);
    }

    /**
     * A client's call to a grain type, or an interface, that this gateway's build does not have: relayed as it
     * is to an Active silo whose manifest hosts the type and serves the caller's interface version (of the
     * newest application version present), which routes it on; refused, naming the type, when none does.
     */
    private void relayToHost(Message message, SiloConnection client, long receivedNanos) {
        SiloAddress host = hostOf(message);
        if (host == null) {
            refuse(
                    message,
                    client,
                    new GrainException("No Active silo hosts grain type '"
                            + message.targetGrain().type()
                            + "' with " + message.interfaceName() + " version " + message.interfaceVersion()
                            + " (gateway " + localSilo + " has neither); is a silo of a build with it started?"),
                    false);
            return;
        }
        long timeToLive = timeToLiveNanos(message);
        boolean oneWay = message.direction() == Message.Direction.ONE_WAY;
        RelayedCall call = oneWay ? null : new RelayedCall(message, client, host, receivedNanos + timeToLive);
        long id = call == null ? 0 : pending.register(call);
        Message relayed = Messages.grainCall(
                id,
                message.targetGrain(),
                host,
                null,
                localSilo,
                String.valueOf(message.interfaceName()),
                message.interfaceVersion(),
                message.methodId(),
                Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeToLive)),
                1,
                message.body());
        post(host, relayed, call, failure -> {
            if (oneWay) {
                log.warn("A one-way call relayed to {} was lost: {}", host, failure.toString());
            } else {
                pending.fail(id, failure);
            }
        });
    }

    /**
     * An Active silo, not this one, that hosts the message's grain type and serves its interface version, of the
     * newest application version among them; {@code null} when none does.
     */
    private @Nullable SiloAddress hostOf(Message message) {
        List<ClusterMember> hosts = new ArrayList<>();
        for (ClusterMember member : members.members().values()) {
            SiloManifest manifest = member.manifest();
            if (member.status() == SiloStatus.ACTIVE
                    && !member.silo().equals(localSilo)
                    && manifest != null
                    && manifest.hosts(message.targetGrain().type())
                    && manifest.serves(String.valueOf(message.interfaceName()), message.interfaceVersion())) {
                hosts.add(member);
            }
        }
        List<ClusterMember> newest = AppVersions.newestOf(hosts, ClusterMember::appVersion);
        return newest.isEmpty()
                ? null
                : newest.get(ThreadLocalRandom.current().nextInt(newest.size())).silo();
    }

    /** How long a received request may wait to run: its caller's remaining time, at most this silo's timeout. */
    private long timeToLiveNanos(Message message) {
        return message.timeToLiveMillis() == 0
                ? timeoutNanos
                : TimeUnit.MILLISECONDS.toNanos(
                        Math.min(message.timeToLiveMillis(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    }

    /** Answers a request that will not run here (one-way: drops it, logged at most every few seconds per peer). */
    private void refuse(Message message, SiloConnection from, RuntimeException failure, boolean invalidateCache) {
        if (message.direction() == Message.Direction.REQUEST) {
            reply(message, from, null, failure, invalidateCache);
        } else {
            peerLog.warnFor(from.peer(), "Dropping a one-way call from {}: {}", from.peer(), failure.getMessage());
        }
    }

    private void onSystemRequest(Message message, SiloConnection from) {
        String name = message.targetGrain().key();
        SystemTarget target = systemTargets.get(name);
        boolean answer = message.direction() == Message.Direction.REQUEST;
        Object result;
        try {
            if (target == null) {
                throw new GrainException("Silo " + localSilo + " has no system target '" + name + "'");
            }
            if (from.isClient() && !clientTargets.contains(name)) {
                throw new UnauthorizedRequestException(
                        "System target '" + name + "' of silo " + localSilo + " is not open to clients");
            }
            result = target.invoke(from.peer(), message.methodId(), serializer.deserializeArgs(message.body()));
        } catch (RuntimeException e) {
            if (e instanceof UnauthorizedRequestException) {
                messaging.stats().reject(Rejection.UNAUTHORIZED_REQUEST);
            }
            if (answer) {
                reply(message, from, null, e, false);
            } else {
                peerLog.warnFor(
                        from.peer(),
                        "System notification {} from {} failed: {}",
                        message.targetGrain(),
                        from.peer(),
                        e.toString());
            }
            return;
        }
        if (!answer) {
            return;
        }
        if (result instanceof CompletableFuture<?> future) {
            future.whenComplete((value, error) -> {
                Throwable failure = error == null ? null : Futures.unwrap(error);
                if (failure instanceof UnauthorizedRequestException) {
                    messaging.stats().reject(Rejection.UNAUTHORIZED_REQUEST);
                }
                reply(message, from, value, failure, false);
            });
        } else {
            reply(message, from, result, null, false);
        }
    }

    /**
     * Answers {@code request} over the connection it came on; if that closed, a silo that is still a live
     * member gets it over another connection, a client gets nothing (the response is dropped and counted).
     * Releases the request's place in the connection's in-flight count.
     */
    private void reply(
            Message request,
            SiloConnection from,
            @Nullable Object value,
            @Nullable Throwable failure,
            boolean invalidateCache) {
        try {
            if (!from.isOpen() && (from.isClient() || !isLiveMember(from.peer()))) {
                if (from.isClient()) {
                    droppedClientResponses.increment();
                }
                return;
            }
            send(response(request, from.peer(), value, failure, invalidateCache), from);
        } finally {
            // After the answer is queued: a connection that is being drained closes once nothing is in flight.
            from.requestDone();
        }
    }

    private Message response(
            Message request,
            SiloAddress to,
            @Nullable Object value,
            @Nullable Throwable failure,
            boolean invalidateCache) {
        byte status = failure == null ? Message.OK : Message.FAILED;
        byte[] body;
        try {
            body = failure == null ? serializer.serialize(value) : serializer.serializeFailure(failure);
        } catch (SerializationException e) {
            status = Message.FAILED;
            body = serializer.serializeFailure(e);
        }
        return Messages.response(request, to, localSilo, invalidateCache, status, body);
    }

    private void send(Message response, SiloConnection from) {
        SiloAddress to = from.peer();
        boolean toClient = from.isClient();
        if (from.isOpen()) {
            from.post(response, error -> {
                if (toClient) {
                    droppedClientResponses.increment();
                }
                log.debug("Response to {} was lost: {}", to, error.toString());
            });
        } else {
            post(to, response, null, error -> log.debug("Response to {} was lost: {}", to, error.toString()));
        }
    }

    /** Responses to clients that were gone (or went away) before they could be written. */
    long droppedClientResponses() {
        return droppedClientResponses.sum();
    }

    // ---- failures -------------------------------------------------------------------------------

    /**
     * How long calls already written to a silo declared dead may still get their answers over a
     * connection that is still open: a silo that stops gracefully answers its calls before it writes
     * Dead, but the notice can overtake those answers here.
     */
    static final long DEAD_SILO_DRAIN_MILLIS = 2_000;

    /**
     * A silo was declared dead: calls waiting on it fail and its connection closes. A call still waiting
     * for the connection did not run and fails at once; one already written may have run there, so if
     * its connection is still open it gets {@link #DEAD_SILO_DRAIN_MILLIS} for its answer first.
     */
    void siloDied(SiloAddress silo) {
        pending.failIf(
                call -> to(silo, call) && call.via() == null,
                new CallNotDeliveredException("Silo " + silo + " was declared dead before the call could be sent"));
        boolean answersMayFollow = pending.anyMatch(
                call -> to(silo, call) && call.via() != null && call.via().isOpen());
        if (!answersMayFollow) {
            failWrittenCalls(silo);
            return;
        }
        CompletableFuture.delayedExecutor(DEAD_SILO_DRAIN_MILLIS, TimeUnit.MILLISECONDS)
                .execute(() -> failWrittenCalls(silo));
    }

    private static boolean to(SiloAddress silo, PendingCall call) {
        return ((Pending) call).target.equals(silo);
    }

    private void failWrittenCalls(SiloAddress silo) {
        pending.failIf(
                call -> to(silo, call),
                new SiloUnavailableException(
                        "Silo " + silo + " was declared dead while the call was waiting for its response"));
        messaging.disconnect(silo);
    }

    /** Calls sent over {@code connection} fail; calls to the same silo over another connection do not. */
    private void connectionClosed(SiloConnection connection) {
        if (connection.isClient()) {
            pending.failSentVia(
                    connection,
                    new ObserverUnavailableException("The connection of client " + connection.peer()
                            + " closed while a call to its observer was waiting for its response"));
            return;
        }
        pending.failSentVia(
                connection,
                new SiloUnavailableException("The connection to silo " + connection.peer()
                        + " closed while the call was waiting for its response"));
    }

    /**
     * Fails calls whose response is overdue: the grain calls sent to another silo straight away (their
     * callers' only timeout), system calls and calls relayed for another silo.
     */
    void sweep() {
        pending.failOverdue(
                System.nanoTime(),
                call -> call instanceof GrainCall grainCall
                        // The caller's own timeout: ResponseTimeouts does not track a call sent at once.
                        ? ResponseTimeouts.timedOut(grainCall.request, timeoutNanos)
                        : new ResponseTimeoutException("No response from silo " + ((Pending) call).target + " within "
                                + Duration.ofNanos(timeoutNanos)));
    }
}
