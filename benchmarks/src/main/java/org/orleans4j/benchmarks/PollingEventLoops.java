package org.orleans4j.benchmarks;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.IntSupplier;
import java.nio.channels.spi.SelectorProvider;

/**
 * NIO event loops for the raw baseline that, like a silo's (orleans.messaging.event-loop-linger), poll
 * their channels without blocking, yielding the core between polls, for a while after their last work
 * before they block in the selector: the wire's round trip when neither side sleeps.
 */
final class PollingEventLoops {

    /** A silo's default linger. */
    static final long LINGER_NANOS = 100_000;

    static IoHandlerFactory factory() {
        return executor ->
                NioIoHandler.newFactory(SelectorProvider.provider(), Poll::new).newHandler(executor);
    }

    private static final class Poll implements SelectStrategy {
        private boolean idle;
        private long idleSince;

        @Override
        public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
            int ready = selectNow.get();
            long now = System.nanoTime();
            if (ready > 0 || hasTasks) {
                idle = false;
                return ready;
            }
            if (!idle) {
                idle = true;
                idleSince = now;
            }
            if (now - idleSince < LINGER_NANOS) {
                Thread.yield();
                return SelectStrategy.CONTINUE;
            }
            // Woken from the selector, the loop lingers anew after what woke it.
            idle = false;
            return SelectStrategy.SELECT;
        }
    }

    private PollingEventLoops() {}
}
