package org.orleans4j.messaging.internal;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.messaging.MessagingOptions;

/**
 * Counts the connections accepted on each listening port, in all and per remote address, and turns
 * away those over the limits, so that whoever reaches a port cannot hold an unbounded number of
 * sockets (and their buffers) open. A connection is counted until it closes.
 */
final class ConnectionLimits {

    private final int maxPerPort;
    private final int maxPerAddress;
    private final ConcurrentHashMap<SiloChannelHandler.Side, AtomicInteger> perPort = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PortAndAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    private record PortAndAddress(SiloChannelHandler.Side side, InetAddress address) {}

    ConnectionLimits(MessagingOptions options) {
        this.maxPerPort = options.maxConnections();
        this.maxPerAddress = options.maxConnectionsPerAddress();
    }

    /** Counts an accepted channel, or returns {@code false} (counting nothing) when it is over a limit. */
    boolean admit(Channel channel, SiloChannelHandler.Side side) {
        AtomicInteger port = perPort.computeIfAbsent(side, s -> new AtomicInteger());
        if (port.incrementAndGet() > maxPerPort) {
            port.decrementAndGet();
            return false;
        }
        InetAddress remote = channel.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (remote == null) {
            channel.closeFuture().addListener(f -> port.decrementAndGet());
            return true;
        }
        PortAndAddress key = new PortAndAddress(side, remote);
        boolean[] admitted = {false};
        perAddress.compute(key, (k, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < maxPerAddress) {
                current.incrementAndGet();
                admitted[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        if (!admitted[0]) {
            port.decrementAndGet();
            return false;
        }
        channel.closeFuture().addListener(f -> {
            port.decrementAndGet();
            perAddress.computeIfPresent(key, (k, count) -> count.decrementAndGet() == 0 ? null : count);
        });
        return true;
    }
}
