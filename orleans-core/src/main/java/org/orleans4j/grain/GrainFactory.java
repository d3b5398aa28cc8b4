package org.orleans4j.grain;

import java.util.UUID;

/**
 * Hands out references to grains. A reference is cheap, never activates anything by itself, and can
 * be kept and shared between threads; the grain is activated on the first call through it.
 */
public interface GrainFactory {

    <T extends GrainWithStringKey> T getGrain(Class<T> grainInterface, String key);

    <T extends GrainWithLongKey> T getGrain(Class<T> grainInterface, long key);

    <T extends GrainWithUuidKey> T getGrain(Class<T> grainInterface, UUID key);

    /** A reference for a known id; the interface must be implemented by the id's grain type. */
    <T extends Grain> T getGrain(Class<T> grainInterface, GrainId grainId);
}
