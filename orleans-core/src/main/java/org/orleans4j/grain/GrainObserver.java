package org.orleans4j.grain;

/**
 * Marks an interface whose implementations receive calls from grains: a cluster client passes such an
 * object to a grain (as a reference from {@code ClusterClient.createObserverReference}) and the grain
 * calls it back, like Orleans' {@code IGrainObserver}. Its methods return {@code CompletableFuture}, or
 * are {@code void} and {@link OneWay}. A grain interface may extend it too: a grain reference is then an
 * observer as well.
 */
public interface GrainObserver extends Grain {}
