package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Length-prefixed frames written straight into the outgoing buffer: a placeholder for the length,
 * the content, then the length filled in. Several frames can share one buffer (one write, one
 * flush), which a per-frame length encoder in the pipeline would not allow.
 */
final class Frames {

    private Frames() {}

    /** A buffer holding the start of one frame (its length placeholder). */
    static ByteBuf newFrame(ByteBufAllocator alloc, int contentHint) {
        ByteBuf buffer = alloc.buffer(4 + contentHint);
        buffer.writeInt(0);
        return buffer;
    }

    /** Starts a frame at the end of {@code buffer}; returns where it starts. */
    static int begin(ByteBuf buffer) {
        int start = buffer.writerIndex();
        buffer.writeInt(0);
        return start;
    }

    /** Fills in the length of the frame that starts at {@code start}. */
    static ByteBuf end(ByteBuf buffer, int start) {
        buffer.setInt(start, buffer.writerIndex() - start - 4);
        return buffer;
    }

    /** Completes a buffer made by {@link #newFrame}. */
    static ByteBuf end(ByteBuf buffer) {
        return end(buffer, 0);
    }
}
