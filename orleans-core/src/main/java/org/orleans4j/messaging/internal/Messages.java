package org.orleans4j.messaging.internal;

import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/** Makes the three kinds of messages silos and clients send: grain calls, system calls and responses. */
public final class Messages {

    private Messages() {}

    /**
     * A grain call: a {@link Message.Direction#REQUEST} under {@code correlationId}, or a
     * {@link Message.Direction#ONE_WAY} call when {@code correlationId} is 0.
     *
     * @param targetSilo where the sender believes the grain is ({@code null}: the gateway decides)
     * @param sendingGrain the calling grain ({@code null} for callers outside grains)
     * @param interfaceVersion the caller's version of the interface, which the activation must serve
     */
    public static Message grainCall(
            long correlationId,
            GrainId target,
            @Nullable SiloAddress targetSilo,
            @Nullable GrainId sendingGrain,
            SiloAddress sendingSilo,
            String interfaceName,
            int interfaceVersion,
            int methodId,
            long timeToLiveMillis,
            int forwardCount,
            byte[] body) {
        return new Message(
                direction(correlationId),
                correlationId,
                target,
                targetSilo,
                sendingGrain,
                sendingSilo,
                interfaceName,
                methodId,
                timeToLiveMillis,
                forwardCount,
                false,
                Message.OK,
                body,
                interfaceVersion);
    }

    /** A call of the system target {@code name} of {@code targetSilo}: a request, or one-way when {@code correlationId} is 0. */
    public static Message systemCall(
            long correlationId,
            String name,
            SiloAddress targetSilo,
            SiloAddress sendingSilo,
            int operation,
            long timeToLiveMillis,
            byte[] body) {
        return new Message(
                direction(correlationId),
                correlationId,
                GrainId.ofString(Message.SYSTEM_GRAIN_TYPE, name),
                targetSilo,
                null,
                sendingSilo,
                null,
                operation,
                timeToLiveMillis,
                0,
                false,
                Message.OK,
                body);
    }

    /**
     * The response to {@code request}, from {@code responder} to {@code to} (the request's connection's
     * peer, never what the request says of its sender).
     *
     * @param invalidateCache the caller's cached address of the grain proved wrong
     * @param status {@link Message#OK} (the body is the result) or {@link Message#FAILED} (the body is the failure)
     */
    public static Message response(
            Message request, SiloAddress to, SiloAddress responder, boolean invalidateCache, byte status, byte[] body) {
        return new Message(
                Message.Direction.RESPONSE,
                request.correlationId(),
                request.targetGrain(),
                to,
                null,
                responder,
                null,
                0,
                0,
                0,
                invalidateCache,
                status,
                body);
    }

    private static Message.Direction direction(long correlationId) {
        return correlationId == 0 ? Message.Direction.ONE_WAY : Message.Direction.REQUEST;
    }
}
