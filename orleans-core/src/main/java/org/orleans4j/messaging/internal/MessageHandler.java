package org.orleans4j.messaging.internal;

/** Receives the messages other silos send; called on a Netty event-loop thread, so it must not block. */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Message bodies up to this size may be read on the event loop, larger ones are read on other
     * threads. The reader's depth, element and collision limits make a body cost work in proportion to
     * its size, so a few kilobytes cost microseconds; handing every small call to another thread would
     * add a thread wake-up to each request and each response (about 65 us more per sequential
     * cross-silo call, measured).
     */
    int INLINE_BODY_BYTES = 4096;

    void onMessage(Message message, SiloConnection from);
}
