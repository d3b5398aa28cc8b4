package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into length-prefixed frames. The limit starts small (a handshake fits in a few
 * kilobytes) and is raised once the handshake is accepted, so a peer that has not said who it is can
 * make this side buffer no more than that. A length over the limit fails at once, before any of the
 * frame is buffered. Remembers since when a frame has been incomplete, so that a peer trickling one
 * byte at a time can be cut off.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private int maxFrameBytes;
    /** {@link System#nanoTime()} when the incomplete frame at the head of the buffer started arriving; 0 if none. */
    private long partialSince;

    FrameDecoder(int initialMaxFrameBytes) {
        this.maxFrameBytes = initialMaxFrameBytes;
    }

    /** Raises (or lowers) the limit for the frames that follow; on the event loop. */
    void maxFrameBytes(int limit) {
        this.maxFrameBytes = limit;
    }

    /** How long the current frame has been incomplete, in nanoseconds; 0 when no frame is half-read. */
    long partialForNanos(long nowNanos) {
        return partialSince == 0 ? 0 : nowNanos - partialSince;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws TooLongFrameException {
        boolean completed = false;
        while (in.readableBytes() >= 4) {
            int length = in.getInt(in.readerIndex());
            if (length < 0 || length > maxFrameBytes) {
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException(
                        "frame of " + Integer.toUnsignedString(length) + " bytes exceeds " + maxFrameBytes);
            }
            if (in.readableBytes() - 4 < length) {
                break;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice(length));
            completed = true;
        }
        if (!in.isReadable()) {
            partialSince = 0;
        } else if (partialSince == 0 || completed) {
            // A frame completed: the peer is making progress; the clock starts again for the next one.
            partialSince = System.nanoTime();
        }
    }
}
