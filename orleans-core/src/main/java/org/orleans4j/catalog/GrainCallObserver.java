package org.orleans4j.catalog;

/**
 * Told of every grain call made through a silo's grain factory, once its response or failure is
 * handed back to the caller (so a remote call, its retries and its wait for a response are
 * included). Metrics hang on it.
 * <p>
 * It runs on the thread that hands the response back (a grain's turn, a Netty event loop, a timer),
 * so it must be quick and must not block; what it throws is logged and dropped. One-way calls are
 * not observed: nothing waits for them.
 */
@FunctionalInterface
public interface GrainCallObserver {

    /** Observes nothing; a silo with it skips the timing altogether. */
    GrainCallObserver NONE = (grainType, method, nanos, failed) -> {};

    /**
     * One completed call.
     *
     * @param grainType the grain type name of the called grain (bounded: one per grain class)
     * @param method the called method's name
     * @param nanos time from the call until its response or failure was handed back
     * @param failed whether the call failed (a grain exception, a timeout, a silo that stayed
     *        unavailable)
     */
    void observe(String grainType, String method, long nanos, boolean failed);

    /**
     * Tells {@code first}, then {@code second}; {@link #NONE} drops out, so one observer stays itself.
     * A failure of the first does not keep the second from being told.
     */
    static GrainCallObserver both(GrainCallObserver first, GrainCallObserver second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return (grainType, method, nanos, failed) -> {
            try {
                first.observe(grainType, method, nanos, failed);
            } finally {
                second.observe(grainType, method, nanos, failed);
            }
        };
    }
}
