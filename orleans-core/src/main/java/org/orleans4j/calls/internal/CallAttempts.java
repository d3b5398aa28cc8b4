package org.orleans4j.calls.internal;

/**
 * The failed attempts of one grain call so far, kept by its caller across retries: how many failed,
 * and whether any of them may have run. A call makes one attempt at a time, so no synchronization.
 */
public final class CallAttempts {

    private int failures;
    private boolean mayHaveRun;

    void failed(Throwable failure) {
        failures++;
        if (CallRetryPolicy.mayHaveRun(failure)) {
            mayHaveRun = true;
        }
    }

    /** Attempts that failed in transit. */
    public int failures() {
        return failures;
    }

    /** Whether some failed attempt may have run (its outcome is unknown). */
    public boolean mayHaveRun() {
        return mayHaveRun;
    }
}
