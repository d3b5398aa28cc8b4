package org.orleans4j.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.orleans4j.calls.internal.SystemInterface;
import org.orleans4j.cluster.SiloAddress;

/**
 * The typed system targets of one silo's message center: the services every silo runs for the others
 * (the directory, statistics, membership notices, indirect probes), each served and called through a
 * Java interface ({@link SystemInterface}). The service is chosen by the sender as the connection's
 * handshake established it, never as a message says.
 */
final class SystemTargets {

    private final MessageCenter messages;
    private final Map<String, SystemInterface<?>> interfaces = new ConcurrentHashMap<>();

    SystemTargets(MessageCenter messages) {
        this.messages = messages;
    }

    /** Serves {@code name}: each call runs on the service {@code forSender} gives for the calling silo. */
    <T> void serve(String name, Class<T> type, Function<SiloAddress, ? extends T> forSender) {
        SystemInterface<T> target = SystemInterface.of(name, type);
        messages.addSystemTarget(
                name, (sender, operation, args) -> target.invoke(forSender.apply(sender), operation, args));
    }

    /** The system target {@code name} of {@code silo}, as a {@code type}. */
    @SuppressWarnings("unchecked") // one type per name: the interfaces are the callers' constants
    <T> T remote(String name, Class<T> type, SiloAddress silo) {
        // The directory asks for a target per operation it forwards: read the interface once per name.
        SystemInterface<T> target =
                (SystemInterface<T>) interfaces.computeIfAbsent(name, n -> SystemInterface.of(n, type));
        return target.proxy("Silo " + silo, new SystemInterface.Transport() {
            @Override
            public CompletableFuture<Object> call(int operation, Object[] args) {
                return messages.callSystem(silo, name, operation, args);
            }

            @Override
            public void notify(int operation, Object[] args) {
                messages.notifySystem(silo, name, operation, args);
            }
        });
    }
}
