package org.orleans4j.persistence;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainId;

/**
 * A grain state storage provider with optimistic concurrency.
 * <ul>
 * <li>{@code readState}: fills value, ETag and {@code recordExists}; a missing record leaves the
 * initial value, ETag {@code null} and {@code recordExists == false}.</li>
 * <li>{@code writeState}: succeeds only when the given ETag equals the stored one ({@code null} when
 * there is none); sets the new ETag (always different from the previous one) and
 * {@code recordExists}. Otherwise fails with {@link InconsistentStateException}, storage unchanged.</li>
 * <li>{@code clearState}: same ETag check; removes the value, resets the state to its initial value,
 * sets a new ETag and {@code recordExists == false}.</li>
 * </ul>
 * A failed write or clear must leave the state's ETag and {@code recordExists} as they were; the
 * runtime then puts back the value last read or written, so memory never serves a value the store
 * does not have. A provider that stores a copy of the value (by serializing it) sets
 * {@link GrainState#setStoredCopy} with each successful read and write, so that what is put back is
 * that copy and not the grain's object, which the grain may have changed in place before the write;
 * without it the runtime puts back the object it last read or wrote.
 * <p>
 * States are independent per {@code (stateName, grainId)}. Futures may complete on any thread; the
 * runtime brings the continuation back onto the grain's turn.
 */
public interface GrainStorage {

    <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state);

    <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state);

    <T> CompletableFuture<Void> clearState(String stateName, GrainId grainId, GrainState<T> state);
}
