package org.orleans4j.messaging;

/** Receives the messages other silos send; called on a Netty event-loop thread, so it must not block. */
@FunctionalInterface
public interface MessageHandler {

    void onMessage(Message message, SiloConnection from);
}
