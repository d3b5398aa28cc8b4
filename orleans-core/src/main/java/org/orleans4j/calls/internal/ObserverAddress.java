package org.orleans4j.calls.internal;

import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;

/**
 * Where an observer object lives: a cluster client, reached through one gateway silo. Its grain id is
 * of the reserved type {@value #TYPE}, keyed by the gateway, the client and the observer's own id, so
 * that every silo can route a call to it without a directory.
 */
public record ObserverAddress(SiloAddress gateway, SiloAddress client, String id) {

    /** The grain type of observer ids. */
    public static final String TYPE = GrainClassMetadata.OBSERVER_TYPE;

    private static final char SEPARATOR = '|';

    /** A new observer of {@code client} behind {@code gateway}. */
    public static ObserverAddress create(SiloAddress gateway, SiloAddress client) {
        return new ObserverAddress(gateway, client, UUID.randomUUID().toString());
    }

    public GrainId grainId() {
        return GrainId.ofString(TYPE, gateway.toString() + SEPARATOR + client + SEPARATOR + id);
    }

    /** The observer address of {@code grainId}, or {@code null} when it is a grain's (or malformed). */
    public static @Nullable ObserverAddress of(GrainId grainId) {
        if (!TYPE.equals(grainId.type())) {
            return null;
        }
        String key = grainId.key();
        int first = key.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : key.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new ObserverAddress(
                    SiloAddress.parse(key.substring(0, first)),
                    SiloAddress.parse(key.substring(first + 1, second)),
                    key.substring(second + 1));
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    public static boolean isObserver(GrainId grainId) {
        return TYPE.equals(grainId.type());
    }
}
