package org.orleans4j.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.internal.LingeringEventLoops;

/**
 * The far end of the raw Netty baseline ({@link RawNettyPingPong}), in a JVM of its own as the far silo
 * is: answers every length-prefixed frame with a frame of {@link RawNettyPingPong#RESPONSE_BYTES},
 * on the event loop, writes of one read flushed together. No serialization, no dispatch, no turn:
 * the transport's own cost on this machine. Prints {@code READY port}; runs until killed.
 */
public final class RawNettyServer {

    /**
     * With the argument {@code polling}, its event loops linger, polling, before they block, as a silo's do
     * by default ({@link LingeringEventLoops}).
     */
    public static void main(String[] args) throws Exception {
        boolean polling = args.length > 0 && args[0].equals("polling");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(), polling ? lingering() : NioIoHandler.newFactory());
        int port = ((InetSocketAddress) new ServerBootstrap()
                        .group(group)
                        .channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel channel) {
                                channel.pipeline()
                                        .addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4))
                                        .addLast(new Answer());
                            }
                        })
                        .bind("127.0.0.1", 0)
                        .sync()
                        .channel()
                        .localAddress())
                .getPort();
        System.out.println("READY " + port);
        new CountDownLatch(1).await();
    }

    /** One answer per request frame; flushed when the read that brought them is done. */
    private static final class Answer extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf request) {
            ByteBuf response = ctx.alloc().buffer(4 + RawNettyPingPong.RESPONSE_BYTES);
            response.writeInt(RawNettyPingPong.RESPONSE_BYTES);
            // The request's first 8 bytes (its correlation id) come back first, as a response's would.
            response.writeLong(request.getLong(request.readerIndex()));
            response.writeZero(RawNettyPingPong.RESPONSE_BYTES - 8);
            ctx.write(response, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Event loops that linger as long as a silo's do by default. */
    static IoHandlerFactory lingering() {
        return new LingeringEventLoops(MessagingOptions.DEFAULT_EVENT_LOOP_LINGER).handlerFactory();
    }

    private RawNettyServer() {}
}
