package org.orleans4j.messaging.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.AbstractEventExecutor;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.lang.reflect.Field;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIO event loops that linger, awake, for a few tens of microseconds after their last work before they
 * block in the selector, and that let a thread handing them work skip the wake-up while they do.
 *
 * <p>A call between silos crosses four threads: the caller, its event loop, the far event loop and the
 * turn that answers. Each hand-over to a blocked event loop costs a wake-up (a write to its eventfd, a
 * return from {@code epoll_wait}), and so does each frame arriving at one: on a virtual machine, whose
 * cores take an interrupt to wake each other, tens of microseconds each. The next work of a loop that
 * just handed a call to a turn is that turn's answer; of a loop that handed an answer to its caller, that
 * caller's next call; of a loop that sent a call, its answer: all usually well within a linger. While
 * lingering a loop polls its connections without blocking and yields its core between polls, so a thread
 * it just woke onto the same core runs at once.
 *
 * <p>Each loop adapts its linger as the turn scheduler adapts its spins: a linger that ends without work
 * halves the next, and work that arrives after the loop blocked, sooner than the longest linger, lengthens
 * it to twice that gap (at most the longest). Sparse traffic therefore stops the lingering after a few
 * lingers.
 */
public final class LingeringEventLoops {

    private static final Logger log = LoggerFactory.getLogger(LingeringEventLoops.class);
    /** Below this a linger is not worth starting: the loop blocks at once. */
    static final long MIN_LINGER_NANOS = 1_000;

    private static final @Nullable Field WAKEN_UP = wakenUpField();

    private final long maxLingerNanos;
    private final ConcurrentHashMap<ThreadAwareExecutor, Linger> lingers = new ConcurrentHashMap<>();

    /** Loops that linger up to {@code maxLinger} (below a microsecond: not at all). */
    public LingeringEventLoops(Duration maxLinger) {
        this.maxLingerNanos = WAKEN_UP == null ? 0 : maxLinger.toNanos();
    }

    /** Creates the NIO handler of each event loop of a group, with its lingering strategy. */
    public IoHandlerFactory handlerFactory() {
        if (maxLingerNanos < MIN_LINGER_NANOS) {
            return NioIoHandler.newFactory();
        }
        return executor -> {
            Linger linger = new Linger(maxLingerNanos, executor);
            IoHandler handler = NioIoHandler.newFactory(SelectorProvider.provider(), () -> linger)
                    .newHandler(executor);
            linger.wakenUp = wakenUpFlag(handler);
            lingers.put(executor, linger);
            return handler;
        };
    }

    /**
     * Hands tasks to {@code loop}, waking it only when it does not linger; a loop of another group gets
     * its tasks the plain way.
     */
    Executor handOff(EventLoop loop) {
        Linger linger = lingers.get(loop);
        return linger != null ? linger : loop;
    }

    /** The linger {@code loop} would start now, in nanoseconds; 0 when it blocks at once (for tests). */
    long lingerNanos(EventLoop loop) {
        Linger linger = lingers.get(loop);
        return linger == null ? 0 : linger.limitNanos;
    }

    /**
     * Netty wakes a loop's selector only when its flag {@code wakenUp} was clear, and clears it only when
     * the loop next blocks; while it is set each poll without blocking wakes the selector anew, so that the
     * wake-up is not lost: a write and a read of an eventfd per poll. A lingering loop is awake and clears
     * it. Without access to it the loops do not linger.
     */
    private static @Nullable Field wakenUpField() {
        try {
            Field field = NioIoHandler.class.getDeclaredField("wakenUp");
            if (field.getType() != AtomicBoolean.class) {
                throw new NoSuchFieldException("wakenUp is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn(
                    "Event loops will block as soon as they run out of work, and each call between silos will wait"
                            + " for their wake-ups: this Netty's NioIoHandler.wakenUp is out of reach ({}). Is the"
                            + " io.netty.transport module open to this one?",
                    e.toString());
            return null;
        }
    }

    private static AtomicBoolean wakenUpFlag(IoHandler handler) {
        try {
            return (AtomicBoolean) WAKEN_UP.get(handler);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("NioIoHandler.wakenUp was made accessible", e);
        }
    }

    /** One loop's select strategy, and the door through which other threads hand it tasks. */
    private static final class Linger implements SelectStrategy, Executor {
        private final long maxNanos;
        private final ThreadAwareExecutor loop;
        /** False from the moment the loop decides to block until it next chooses what to do. */
        private volatile boolean awake = true;

        /** Set by the factory once Netty's handler exists, before the loop first runs. */
        private AtomicBoolean wakenUp;
        /** The linger the loop starts when it next runs out of work (the loop's alone; read by tests). */
        volatile long limitNanos;
        /** The loop ran out of work at {@link #idleSince} and found none since. */
        private boolean idle;

        private long idleSince;
        /** The loop chose to block: its next turn here follows work (or a wake-up for work). */
        private boolean blocked;

        Linger(long maxNanos, ThreadAwareExecutor loop) {
            this.maxNanos = maxNanos;
            this.loop = loop;
            this.limitNanos = maxNanos;
        }

        @Override
        public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
            awake = true;
            if (wakenUp.get()) {
                wakenUp.set(false);
            }
            int ready = selectNow.get();
            long now = System.nanoTime();
            if (ready > 0 || hasTasks || blocked) {
                if (idle && blocked) {
                    long gap = now - idleSince;
                    // A linger of twice this gap would have caught the work without the loop's wake-up.
                    if (gap < maxNanos && 2 * gap > limitNanos) {
                        limitNanos = Math.min(maxNanos, 2 * gap);
                    }
                }
                blocked = false;
                idle = false;
                return ready;
            }
            if (!idle) {
                idle = true;
                idleSince = now;
            }
            long limit = limitNanos;
            if (limit >= MIN_LINGER_NANOS && now - idleSince < limit) {
                Thread.yield();
                return SelectStrategy.CONTINUE;
            }
            if (limit >= MIN_LINGER_NANOS) {
                // Lingered in vain: half as long next time.
                limitNanos = limit / 2;
            }
            blocked = true;
            awake = false;
            return SelectStrategy.SELECT;
        }

        @Override
        public void execute(Runnable task) {
            if (!awake || !(loop instanceof AbstractEventExecutor lazily)) {
                loop.execute(task);
                return;
            }
            lazily.lazyExecute(task);
            // The loop may have decided to block between our look and the task's arrival. It clears awake
            // before it looks at its task queue a last time, so one of the two sides sees the other.
            if (!awake) {
                loop.execute(NOTHING);
            }
        }
    }

    private static final Runnable NOTHING = () -> {};
}
