package org.orleans4j.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The raw Netty baseline of the cross-silo workloads: length-prefixed frames of the size of a
 * benchmark call ({@link #REQUEST_BYTES}) and of its response ({@link #RESPONSE_BYTES}) to a
 * {@link RawNettyServer} in another JVM on loopback, over one connection, as a silo's calls go:
 * <ul>
 * <li>ping-pong: 1 outstanding, the caller waiting on a future the event loop completes, as a grain
 * call's caller does (the same thread hand-offs); latency percentiles: the limit of the sequential
 * workload;</li>
 * <li>ping-pong on the loop: 1 outstanding, each answer sending the next from the event loop, no
 * thread hand-off: the wire's own round trip;</li>
 * <li>pipelined: 64 outstanding, each answer sending the next from the event loop, the writes of one
 * read flushed together; frames per second: the limit of the throughput workload.</li>
 * </ul>
 * What is left out is everything the runtime adds: serialization, routing, turns, bookkeeping.
 */
final class RawNettyPingPong implements AutoCloseable {

    /**
     * A {@code ping(long)} call as a silo frames it on a connection of protocol version 6 once the names
     * it carries are defined (WireSizes: 47 bytes of message), plus the frame's type byte.
     */
    static final int REQUEST_BYTES = 48;
    /** Its response (WireSizes: 21 bytes of message in protocol 6, 45 in 5), plus the frame's type byte. */
    static final int RESPONSE_BYTES = 22;

    private static final int IN_FLIGHT = 64;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Set while a chained run is on: answers send the next request from the event loop. */
    private volatile @Nullable Chains chains;

    RawNettyPingPong(int port) throws InterruptedException {
        this(port, NioIoHandler.newFactory());
    }

    /** Against the {@link RawNettyServer} at {@code port}, on an event loop made by {@code loops}. */
    RawNettyPingPong(int port, IoHandlerFactory loops) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, loops);
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4))
                                .addLast(new Answers());
                    }
                })
                .connect("127.0.0.1", port)
                .sync()
                .channel();
    }

    /** Reads answers: completes the waiting caller, or, in a chained run, sends the next request. */
    private final class Answers extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf response) {
            long id = response.getLong(response.readerIndex());
            Chains running = chains;
            if (running != null) {
                running.answered(id);
                return;
            }
            CompletableFuture<Void> call = pending.remove(id);
            if (call != null) {
                call.complete(null);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    private ByteBuf request(long id) {
        ByteBuf frame = channel.alloc().buffer(4 + REQUEST_BYTES);
        frame.writeInt(REQUEST_BYTES);
        frame.writeLong(id);
        frame.writeZero(REQUEST_BYTES - 8);
        return frame;
    }

    /** Sends one request frame from the caller's thread; completes when its answer has been read. */
    CompletableFuture<Void> call() {
        long id = ids.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.put(id, done);
        channel.writeAndFlush(request(id), channel.voidPromise());
        return done;
    }

    /** {@code warmup} unmeasured calls, then {@code calls} one at a time: {p50, p99} in microseconds. */
    double[] pingPong(int warmup, int calls) {
        for (int i = 0; i < warmup; i++) {
            call().join();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call().join();
            nanos[i] = System.nanoTime() - start;
        }
        return LocalBenchmarks.percentiles(nanos, calls);
    }

    /** {@value #IN_FLIGHT} chains on the event loop: frames per second over {@code measure}, after 2 s of warm-up. */
    double pipelined(Duration measure) throws InterruptedException {
        return pipelined(measure, null)[0];
    }

    /** {@code outstanding} chains on the event loop: frames per second over {@code measure}, after 2 s of warm-up. */
    double pipelined(Duration measure, int outstanding) throws InterruptedException {
        return chained(outstanding, measure, null, null).perSecond;
    }

    /** As {@link #pipelined(Duration)}: {frames per second, microseconds of CPU per frame} (NaN without a meter). */
    double[] pipelined(Duration measure, @Nullable CpuMeter cpu) throws InterruptedException {
        Chains run = chained(IN_FLIGHT, measure, null, cpu);
        return new double[] {run.perSecond, run.cpuMicrosPerFrame};
    }

    /** One chain on the event loop, no thread hand-off: {p50, p99} of its round trips in microseconds. */
    double[] pingPongOnLoop(Duration measure) throws InterruptedException {
        Chains run = chained(1, measure, new long[4_000_000], null);
        return LocalBenchmarks.percentiles(run.nanos, run.recorded);
    }

    /**
     * {@code outstanding} chains of requests, each answer sending the next from the event loop, for 2 s of
     * warm-up and then {@code measure}. With {@code nanos}, each measured round trip is recorded there.
     */
    private Chains chained(int outstanding, Duration measure, long @Nullable [] nanos, @Nullable CpuMeter cpu)
            throws InterruptedException {
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Chains run = new Chains(outstanding, warmupEnd, warmupEnd + measure.toNanos(), nanos);
        chains = run;
        channel.eventLoop().execute(() -> {
            for (int i = 0; i < outstanding; i++) {
                run.send(ids.incrementAndGet());
            }
            channel.flush();
        });
        if (cpu != null) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, warmupEnd - System.nanoTime()));
            cpu.start();
        }
        run.done.await();
        run.perSecond = run.completedMeasured / (measure.toNanos() / 1e9);
        run.cpuMicrosPerFrame = cpu == null ? Double.NaN : cpu.microsPer(run.completedMeasured);
        // Let the last answers arrive (and be dropped) before the next run reads the connection.
        TimeUnit.MILLISECONDS.sleep(200);
        chains = null;
        return run;
    }

    /** A chained run's state, touched on the event loop only (and read after {@link #done}). */
    private final class Chains {
        private final int outstanding;
        private final long measureFrom;
        private final long end;
        final long @Nullable [] nanos;
        private final CountDownLatch done = new CountDownLatch(1);
        private final Map<Long, Long> sentAt = new HashMap<>();
        private long completedMeasured;
        private int stopped;
        int recorded;
        double perSecond;
        double cpuMicrosPerFrame;

        Chains(int outstanding, long measureFrom, long end, long @Nullable [] nanos) {
            this.outstanding = outstanding;
            this.measureFrom = measureFrom;
            this.end = end;
            this.nanos = nanos;
        }

        void send(long id) {
            if (nanos != null) {
                sentAt.put(id, System.nanoTime());
            }
            channel.write(request(id), channel.voidPromise());
        }

        void answered(long id) {
            long now = System.nanoTime();
            Long sent = nanos == null ? null : sentAt.remove(id);
            if (now >= measureFrom && now < end) {
                completedMeasured++;
                if (sent != null && recorded < nanos.length) {
                    nanos[recorded++] = now - sent;
                }
            }
            if (now < end) {
                send(ids.incrementAndGet());
            } else if (++stopped == outstanding) {
                done.countDown();
            }
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
