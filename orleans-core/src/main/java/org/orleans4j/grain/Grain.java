package org.orleans4j.grain;

/**
 * Marker for grain interfaces. Extend one of the key-kind markers ({@link GrainWithStringKey},
 * {@link GrainWithLongKey}, {@link GrainWithUuidKey}) rather than this one directly.
 * <p>
 * Methods of a grain interface return {@link java.util.concurrent.CompletableFuture}, or
 * {@code void} when annotated {@link OneWay}.
 */
public interface Grain {}
