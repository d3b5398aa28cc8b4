package org.orleans4j.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.orleans4j.catalog.Futures;
import org.orleans4j.catalog.Request;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.Message;
import org.orleans4j.messaging.ProtocolException;
import org.orleans4j.messaging.SiloConnection;
import org.orleans4j.messaging.SiloMessaging;
import org.orleans4j.serialization.SerializationException;
import org.orleans4j.serialization.WireSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grain calls and system calls between silos: turns outgoing calls into messages (arguments
 * serialized on the caller's thread), matches responses to the calls waiting for them, and turns
 * incoming messages into requests for the dispatcher or calls of a system target (the directory,
 * statistics, membership gossip). A call to a silo known dead fails at once; calls waiting on a
 * silo that dies or whose connection closes fail with {@link SiloUnavailableException}.
 * <p>
 * As a gateway it takes calls from cluster clients: they enter like calls from another silo that
 * names no target silo (routed by the dispatcher: local activation, directory, placement), and their
 * responses go back over the client's own connection, since nobody can connect to a client. A client
 * may call grains and the system targets open to clients (the manifest), nothing else.
 */
final class MessageCenter {

    private static final Logger log = LoggerFactory.getLogger(MessageCenter.class);
    static final String SYSTEM_TYPE = Message.SYSTEM_GRAIN_TYPE;
    /** Which grain types implement which interfaces (see {@link GrainTypeRegistry#manifest()}); open to clients. */
    static final String MANIFEST = Message.MANIFEST_TARGET;

    /** A service every silo runs, addressed by name rather than by grain id. */
    @FunctionalInterface
    interface SystemTarget {
        /** Returns the result, or a {@link CompletableFuture} of it. */
        Object invoke(SiloAddress sender, int operation, Object[] args);
    }

    /** A call waiting for its response. */
    private abstract static class Pending {
        final SiloAddress target;
        final long startNanos = System.nanoTime();

        Pending(SiloAddress target) {
            this.target = target;
        }

        abstract void complete(Object value, Throwable failure, boolean invalidateCache);
    }

    private final class GrainCall extends Pending {
        final Request request;

        GrainCall(Request request, SiloAddress target) {
            super(target);
            this.request = request;
        }

        @Override
        void complete(Object value, Throwable failure, boolean invalidateCache) {
            if (invalidateCache) {
                dispatcher.invalidateCache(request.target(), target);
            }
            if (failure != null) {
                dispatcher.fail(request, failure);
            } else {
                request.respond(value, null);
            }
        }
    }

    private static final class SystemCall extends Pending {
        final CompletableFuture<Object> future = new CompletableFuture<>();

        SystemCall(SiloAddress target) {
            super(target);
        }

        @Override
        void complete(Object value, Throwable failure, boolean invalidateCache) {
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
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong correlation = new AtomicLong();
    private final Map<String, SystemTarget> systemTargets = new ConcurrentHashMap<>();
    /** The system targets a cluster client may call; the others (directory, membership) are for silos only. */
    private final Set<String> clientTargets = ConcurrentHashMap.newKeySet();
    private final LongAdder droppedClientResponses = new LongAdder();
    private volatile Predicate<SiloAddress> isDead = silo -> false;
    private Dispatcher dispatcher;

    MessageCenter(SiloAddress localSilo, SiloMessaging messaging, WireSerializer serializer, GrainTypeRegistry registry,
            MessagingOptions options) {
        this.localSilo = localSilo;
        this.messaging = messaging;
        this.serializer = serializer;
        this.registry = registry;
        this.timeoutNanos = options.responseTimeout().toNanos();
        messaging.onMessage(this::onMessage);
        messaging.onConnectionClosed(this::connectionClosed);
        addSystemTarget(MANIFEST, (sender, operation, args) -> registry.manifest());
        clientTargets.add(MANIFEST);
    }

    void bind(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    void addSystemTarget(String name, SystemTarget target) {
        systemTargets.put(name, target);
    }

    /** Which silos are dead, as the membership last said. */
    void deadSilos(Predicate<SiloAddress> isDead) {
        this.isDead = isDead;
    }

    // ---- outgoing -------------------------------------------------------------------------------

    /** Sends a grain call to the silo that hosts (or is to host) its target. */
    void sendRequest(Request request, SiloAddress target) {
        if (isDead.test(target)) {
            dispatcher.fail(request, new SiloUnavailableException("Silo " + target + " is dead; " + request + " was not sent"));
            return;
        }
        byte[] body;
        try {
            body = serializer.serializeCall(request.args(), request.requestContext());
        } catch (SerializationException e) {
            request.respond(null, e);
            return;
        }
        boolean oneWay = request.isOneWay();
        long id = oneWay ? 0 : correlation.incrementAndGet();
        if (!oneWay) {
            pending.put(id, new GrainCall(request, target));
        }
        GrainId sendingGrain = request.caller() == null ? null : request.caller().grainId();
        Message message = new Message(oneWay ? Message.Direction.ONE_WAY : Message.Direction.REQUEST, id,
                request.target(), target, sendingGrain, localSilo, request.grainInterface().getName(),
                request.method().id(), 0, request.forwardCount(), false, Message.OK, body);
        post(target, message, failure -> {
            if (oneWay) {
                log.warn("One-way call {} to {} was lost: {}", request, target, failure.toString());
            } else {
                failPending(id, failure);
            }
        });
    }

    /** Calls a system target of another silo. */
    CompletableFuture<Object> callSystem(SiloAddress target, String name, int operation, Object[] args) {
        if (isDead.test(target)) {
            return CompletableFuture.failedFuture(new SiloUnavailableException("Silo " + target + " is dead"));
        }
        byte[] body;
        try {
            body = serializer.serializeArgs(args);
        } catch (SerializationException e) {
            return CompletableFuture.failedFuture(e);
        }
        long id = correlation.incrementAndGet();
        SystemCall call = new SystemCall(target);
        pending.put(id, call);
        post(target, systemMessage(Message.Direction.REQUEST, id, target, name, operation, body),
                failure -> failPending(id, failure));
        return call.future;
    }

    /** Tells a system target of another silo something; no answer, failures only logged. */
    void notifySystem(SiloAddress target, String name, int operation, Object[] args) {
        post(target, systemMessage(Message.Direction.ONE_WAY, 0, target, name, operation, serializer.serializeArgs(args)),
                failure -> log.debug("Notification {} to {} of {} was lost: {}", operation, name, target, failure.toString()));
    }

    private Message systemMessage(Message.Direction direction, long id, SiloAddress target, String name, int operation,
            byte[] body) {
        return new Message(direction, id, GrainId.ofString(SYSTEM_TYPE, name), target, null, localSilo, null, operation, 0,
                0, false, Message.OK, body);
    }

    private void post(SiloAddress target, Message message, Consumer<Throwable> onFailure) {
        CompletableFuture<SiloConnection> connection = messaging.connection(target);
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            connection.resultNow().post(message, onFailure);
            return;
        }
        connection.whenComplete((c, error) -> {
            if (error != null) {
                onFailure.accept(new SiloUnavailableException("Could not connect to silo " + target + ": "
                        + Futures.unwrap(error).getMessage(), Futures.unwrap(error)));
            } else {
                c.post(message, onFailure);
            }
        });
    }

    private void failPending(long id, Throwable failure) {
        Pending call = pending.remove(id);
        if (call != null) {
            call.complete(null, failure, false);
        }
    }

    // ---- incoming -------------------------------------------------------------------------------

    private void onMessage(Message message, SiloConnection from) {
        SiloConnection client = from.isClient() ? from : null;
        switch (message.direction()) {
            case RESPONSE -> {
                if (client != null) {
                    // A client answering would complete this silo's own pending calls: not a client's to do.
                    throw new ProtocolException("cluster client " + from.peer()
                            + " sent a response; clients only make calls");
                }
                onResponse(message);
            }
            case REQUEST, ONE_WAY -> {
                if (SYSTEM_TYPE.equals(message.targetGrain().type())) {
                    onSystemRequest(message, client);
                } else {
                    onGrainRequest(message, client);
                }
            }
        }
    }

    private void onResponse(Message message) {
        Pending call = pending.remove(message.correlationId());
        if (call == null) {
            return; // answered already, or timed out
        }
        Object value = null;
        Throwable failure = null;
        try {
            if (message.status() == Message.OK) {
                value = serializer.deserialize(message.body());
            } else {
                failure = serializer.deserializeFailure(message.body());
            }
        } catch (SerializationException e) {
            failure = e;
        }
        call.complete(value, failure, message.invalidateCache());
    }

    /** A grain call from another silo, or from a client ({@code client} not null) through this gateway. */
    private void onGrainRequest(Message message, SiloConnection client) {
        Request request;
        try {
            GrainClassMetadata grainClass = registry.byTypeName(message.targetGrain().type());
            GrainInterfaceMetadata grainInterface = registry.interfaceByName(message.interfaceName());
            if (grainInterface == null || !grainInterface.grainInterface().isAssignableFrom(grainClass.grainClass())) {
                throw new GrainException("Grain type '" + message.targetGrain().type() + "' does not implement "
                        + message.interfaceName() + " on silo " + localSilo);
            }
            MethodInfo method = grainInterface.method(message.methodId());
            if (method == null) {
                throw new GrainException("No method with id " + message.methodId() + " on " + message.interfaceName()
                        + " on silo " + localSilo + " (do the silos run different versions of it?)");
            }
            WireSerializer.CallBody body = serializer.deserializeCall(message.body());
            request = new Request(message.targetGrain(), grainClass, grainInterface.grainInterface(), method,
                    body.args(), null, body.requestContext(), null);
        } catch (GrainException e) {
            if (message.direction() == Message.Direction.REQUEST) {
                reply(message.sendingSilo(), client, message.correlationId(), message.targetGrain(), null, e, false);
            } else {
                log.warn("Dropping a one-way call from {}: {}", message.sendingSilo(), e.getMessage());
            }
            return;
        }
        // A client's call enters as a fresh call: where it goes is the gateway's to decide, not the client's.
        int receivedForwardCount = client == null ? message.forwardCount() : 0;
        request.setForwardCount(receivedForwardCount);
        if (message.direction() == Message.Direction.REQUEST) {
            SiloAddress sender = message.sendingSilo();
            long id = message.correlationId();
            request.setOrigin((r, value, failure) -> reply(sender, client, id, r.target(), value, failure,
                    r.forwardCount() > receivedForwardCount));
        }
        dispatcher.receive(request, client == null ? message.targetSilo() : null);
    }

    private void onSystemRequest(Message message, SiloConnection client) {
        String name = message.targetGrain().key();
        SystemTarget target = systemTargets.get(name);
        boolean answer = message.direction() == Message.Direction.REQUEST;
        Object result;
        try {
            if (target == null) {
                throw new GrainException("Silo " + localSilo + " has no system target '" + name + "'");
            }
            if (client != null && !clientTargets.contains(name)) {
                throw new GrainException("System target '" + name + "' of silo " + localSilo + " is not open to clients");
            }
            result = target.invoke(message.sendingSilo(), message.methodId(), serializer.deserializeArgs(message.body()));
        } catch (RuntimeException e) {
            if (answer) {
                reply(message.sendingSilo(), client, message.correlationId(), message.targetGrain(), null, e, false);
            } else {
                log.warn("System notification {} from {} failed", message.targetGrain(), message.sendingSilo(), e);
            }
            return;
        }
        if (!answer) {
            return;
        }
        if (result instanceof CompletableFuture<?> future) {
            future.whenComplete((value, error) -> reply(message.sendingSilo(), client, message.correlationId(),
                    message.targetGrain(), value, error == null ? null : Futures.unwrap(error), false));
        } else {
            reply(message.sendingSilo(), client, message.correlationId(), message.targetGrain(), result, null, false);
        }
    }

    /**
     * Sends a response to the silo {@code to}, or over {@code client}'s connection when the call came
     * from a client. A client that has gone away gets nothing: its response is dropped (and counted)
     * before it is even serialized.
     */
    private void reply(SiloAddress to, SiloConnection client, long correlationId, GrainId grain, Object value,
            Throwable failure, boolean invalidateCache) {
        if (client != null && !client.isOpen()) {
            droppedClientResponses.increment();
            return;
        }
        byte status = failure == null ? Message.OK : Message.FAILED;
        byte[] body;
        try {
            body = failure == null ? serializer.serialize(value) : serializer.serializeFailure(failure);
        } catch (SerializationException e) {
            status = Message.FAILED;
            body = serializer.serializeFailure(e);
        }
        Message response = new Message(Message.Direction.RESPONSE, correlationId, grain, to, null, localSilo, null, 0, 0,
                0, invalidateCache, status, body);
        if (client != null) {
            client.post(response, error -> {
                droppedClientResponses.increment();
                log.debug("Response to client {} was lost: {}", to, error.toString());
            });
        } else {
            post(to, response, error -> log.debug("Response to {} was lost: {}", to, error.toString()));
        }
    }

    /** Responses to clients that were gone (or went away) before they could be written. */
    long droppedClientResponses() {
        return droppedClientResponses.sum();
    }

    // ---- failures -------------------------------------------------------------------------------

    /** A silo was declared dead: calls waiting on it fail (transiently) and its connection closes. */
    void siloDied(SiloAddress silo) {
        failPendingTo(silo, new SiloUnavailableException("Silo " + silo + " was declared dead"));
        messaging.disconnect(silo);
    }

    private void connectionClosed(SiloAddress peer) {
        failPendingTo(peer, new SiloUnavailableException("The connection to silo " + peer + " closed"));
    }

    private void failPendingTo(SiloAddress silo, Throwable failure) {
        pending.forEach((id, call) -> {
            if (call.target.equals(silo)) {
                failPending(id, failure);
            }
        });
    }

    /**
     * Fails calls whose response is overdue. Local callers have their own timeout; this clears what
     * nobody else waits on (system calls, calls relayed for another silo).
     */
    void sweep() {
        long now = System.nanoTime();
        pending.forEach((id, call) -> {
            if (now - call.startNanos > timeoutNanos) {
                failPending(id, new ResponseTimeoutException("No response from silo " + call.target + " within "
                        + java.time.Duration.ofNanos(timeoutNanos)));
            }
        });
    }
}
