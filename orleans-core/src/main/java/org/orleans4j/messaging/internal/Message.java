package org.orleans4j.messaging.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * A grain call or its response as it travels between silos. The body is opaque here: arguments or
 * result, already serialized.
 *
 * @param direction request, response or one-way
 * @param correlationId matches a response to its request on the connection the request was sent over
 * @param targetGrain the grain called; {@code null} in a response read from a peer of protocol 6 or later, which
 *        does not repeat it (its caller knows the call by its correlation id)
 * @param targetSilo the silo the sender believes hosts it ({@code null}: to be placed)
 * @param sendingGrain the calling grain ({@code null} for calls from outside grains)
 * @param sendingSilo the calling silo
 * @param interfaceName the grain interface called through ({@code null} for system calls and responses)
 * @param methodId the method within it (see {@link #methodId})
 * @param timeToLiveMillis how long the request may still wait before it runs, from when it is received (its
 *        caller's remaining response timeout); an expired request is not run (0: the receiver's own response timeout)
 * @param forwardCount hops so far: each relay or forward to another silo adds one, and a request past the hop
 *        limit is failed instead of relayed again
 * @param invalidateCache the sender's cached address of the target proved wrong; drop it
 * @param status for responses: {@link #OK} or {@link #FAILED}
 * @param body serialized arguments or result
 * @param interfaceVersion the caller's version of the grain interface (see
 *        {@link org.orleans4j.grain.Version}); 0 for system calls and responses
 */
public record Message(
        Direction direction,
        long correlationId,
        @Nullable GrainId targetGrain,
        @Nullable SiloAddress targetSilo,
        @Nullable GrainId sendingGrain,
        SiloAddress sendingSilo,
        @Nullable String interfaceName,
        int methodId,
        long timeToLiveMillis,
        int forwardCount,
        boolean invalidateCache,
        byte status,
        byte[] body,
        int interfaceVersion) {

    public static final byte OK = 0;
    public static final byte FAILED = 1;
    /** The grain type of system targets: services a silo runs, addressed by name (the key), not by grain id. */
    public static final String SYSTEM_GRAIN_TYPE = "sys";
    /** The system target of every gateway that tells a client which grain types implement which interfaces. */
    public static final String MANIFEST_TARGET = "manifest";

    /** How a message relates to a call. */
    public enum Direction {
        REQUEST,
        RESPONSE,
        ONE_WAY
    }

    public Message {
        Objects.requireNonNull(direction, "direction");
        if (direction != Direction.RESPONSE) {
            Objects.requireNonNull(targetGrain, "targetGrain");
        }
        Objects.requireNonNull(sendingSilo, "sendingSilo");
        body = body == null ? new byte[0] : body;
    }

    /** A message through version 0 of its interface (or of none: a system call or a response). */
    public Message(
            Direction direction,
            long correlationId,
            @Nullable GrainId targetGrain,
            @Nullable SiloAddress targetSilo,
            @Nullable GrainId sendingGrain,
            SiloAddress sendingSilo,
            @Nullable String interfaceName,
            int methodId,
            long timeToLiveMillis,
            int forwardCount,
            boolean invalidateCache,
            byte status,
            byte[] body) {
        this(
                direction,
                correlationId,
                targetGrain,
                targetSilo,
                sendingGrain,
                sendingSilo,
                interfaceName,
                methodId,
                timeToLiveMillis,
                forwardCount,
                invalidateCache,
                status,
                body,
                0);
    }
}
