package org.orleans4j.client;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.ObserverAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.ObserverUnavailableException;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.internal.Futures;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.Messages;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.serialization.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer objects of a cluster client: the calls grains make to them arrive from the gateway their
 * reference names, run on the client's response threads (one at a time per observer, in arrival order)
 * and are answered over the same connection.
 */
final class ClientObservers {

    private static final Logger log = LoggerFactory.getLogger(ClientObservers.class);

    /** An observer object and the calls waiting to run on it, one at a time. */
    private static final class Registered {
        final GrainInterfaceMetadata metadata;
        final Object target;
        final Queue<Runnable> calls = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean();

        Registered(GrainInterfaceMetadata metadata, Object target) {
            this.metadata = metadata;
            this.target = target;
        }
    }

    private final SiloAddress clientAddress;
    private final ClientSerializer serializer;
    private final Map<String, Registered> observers = new ConcurrentHashMap<>();
    private volatile Executor executor = Runnable::run;

    ClientObservers(SiloAddress clientAddress, ClientSerializer serializer) {
        this.clientAddress = clientAddress;
        this.serializer = serializer;
    }

    void executor(Executor executor) {
        this.executor = executor;
    }

    /** Registers {@code target} as an observer reached through {@code gateway}; its address. */
    ObserverAddress register(GrainInterfaceMetadata metadata, Object target, SiloAddress gateway) {
        ObserverAddress address = ObserverAddress.create(gateway, clientAddress);
        observers.put(address.id(), new Registered(metadata, target));
        return address;
    }

    /** Forgets an observer: calls to it fail from now on. Whether it was registered. */
    boolean delete(ObserverAddress address) {
        return address.client().equals(clientAddress) && observers.remove(address.id()) != null;
    }

    int size() {
        return observers.size();
    }

    /** On the event loop: a call to one of this client's observers, from the gateway {@code from}. */
    void onCall(Message message, SiloConnection from) {
        ObserverAddress address = ObserverAddress.of(message.targetGrain());
        Registered observer =
                address == null || !address.client().equals(clientAddress) ? null : observers.get(address.id());
        if (observer == null) {
            answer(
                    message,
                    from,
                    null,
                    new ObserverUnavailableException(
                            "Observer " + message.targetGrain().key() + " is not registered on this client"));
            return;
        }
        observer.calls.add(() -> run(observer, message, from));
        schedule(observer);
    }

    private void schedule(Registered observer) {
        if (!observer.calls.isEmpty() && observer.running.compareAndSet(false, true)) {
            try {
                executor.execute(() -> drain(observer));
            } catch (RejectedExecutionException closing) {
                observer.running.set(false);
            }
        }
    }

    private void drain(Registered observer) {
        Runnable call;
        while ((call = observer.calls.poll()) != null) {
            call.run();
        }
        observer.running.set(false);
        schedule(observer); // a call that arrived after the last poll
    }

    private void run(Registered observer, Message message, SiloConnection from) {
        CompletableFuture<?> result;
        try {
            MethodInfo method = observer.metadata.method(message.methodId());
            if (method == null || !observer.metadata.grainInterface().getName().equals(message.interfaceName())) {
                throw new GrainException(
                        "Observer " + observer.metadata.grainInterface().getName() + " has no method "
                                + message.interfaceName() + "#" + message.methodId());
            }
            var body = serializer.current().deserializeCall(message.body());
            Map<String, Object> previous = RequestContext.install(body.requestContext());
            try {
                Object value = method.method().invoke(observer.target, body.args());
                result =
                        value instanceof CompletableFuture<?> future ? future : CompletableFuture.completedFuture(null);
            } finally {
                RequestContext.install(previous);
            }
        } catch (InvocationTargetException e) {
            result = CompletableFuture.failedFuture(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((value, failure) -> answer(message, from, value, failure));
    }

    /** Answers a call (a one-way call gets nothing; its failure is logged). */
    private void answer(Message message, SiloConnection from, @Nullable Object value, @Nullable Throwable failure) {
        Throwable cause = failure == null ? null : Futures.unwrap(failure);
        if (message.direction() != Message.Direction.REQUEST) {
            if (cause != null) {
                log.warn("A one-way call to observer {} failed: {}", message.targetGrain(), cause.toString());
            }
            return;
        }
        byte status = cause == null ? Message.OK : Message.FAILED;
        byte[] body;
        try {
            body = cause == null
                    ? serializer.current().serialize(value)
                    : serializer.current().serializeFailure(cause);
        } catch (SerializationException e) {
            status = Message.FAILED;
            body = serializer.current().serializeFailure(e);
        }
        from.post(
                Messages.response(message, from.peer(), clientAddress, false, status, body),
                lost -> log.debug("The answer of observer {} was lost: {}", message.targetGrain(), lost.toString()));
    }
}
