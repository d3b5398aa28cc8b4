package org.orleans4j.calls.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a grain call returns, in a silo or a cluster client. A platform thread that blocks on it ({@code join}
 * or {@code get}) first spins briefly (up to 100 µs, yielding its core now and then), as long as the calls it
 * blocked on lately were answered within that: a grain of the same silo answers in a few microseconds, and
 * one of another silo in a few tens when neither silo's threads sleep, while waking a parked thread costs
 * tens of them on a virtual machine whose idle core has halted. So a web request thread that calls a grain
 * and joins does not sleep through an answer microseconds away. Longer waits halve the spin until it
 * stops; a short wait makes it spin again.
 * Virtual threads never spin: parking one costs no more than spinning.
 */
public final class CallFuture<T> extends CompletableFuture<T> {

    /**
     * The longest spin: a little more than a call to another silo takes when no thread on its way sleeps
     * (its event loops linger and its turn threads spin), so that sequential calls keep each other's threads
     * awake; two or three times what parking and being woken costs on a virtual machine.
     */
    private static final long MAX_SPIN_NANOS = 100_000;
    /** Below this a spin is not worth starting. */
    private static final long MIN_SPIN_NANOS = 1_000;
    /** Each platform thread's current spin, adapted to the waits it saw. */
    private static final ThreadLocal<long[]> SPIN = ThreadLocal.withInitial(() -> new long[] {MAX_SPIN_NANOS});
    /** What {@link #spinUntilDone} returns when the spin caught the answer: nothing to learn. */
    private static final long CAUGHT = Long.MIN_VALUE;

    @Override
    public T join() {
        long waitStart = spinUntilDone();
        try {
            return super.join();
        } finally {
            learn(waitStart);
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        long waitStart = spinUntilDone();
        try {
            return super.get();
        } finally {
            learn(waitStart);
        }
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long waitStart = spinUntilDone();
        try {
            return super.get(timeout, unit);
        } finally {
            learn(waitStart);
        }
    }

    /** Dependent stages are plain futures: only the call's own future spins. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /**
     * Spins while this thread's budget lasts; returns when the wait that follows began (its start, for
     * {@link #learn}), or {@link #CAUGHT} if the call is done and there is nothing to learn.
     */
    private long spinUntilDone() {
        if (isDone() || Thread.currentThread().isVirtual()) {
            return CAUGHT;
        }
        long[] spin = SPIN.get();
        long start = System.nanoTime();
        if (spin[0] >= MIN_SPIN_NANOS) {
            long deadline = start + spin[0];
            int spins = 0;
            while (!isDone()) {
                // Reading the clock costs more than a volatile read on some virtual machines: every 64th spin,
                // which also yields the core, to a thread the answer may be waiting for.
                if ((++spins & 63) != 0) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - deadline > 0) {
                    // Wasted: the answer is further away than this spin; spin half as long next time.
                    spin[0] /= 2;
                    return start;
                } else {
                    Thread.yield();
                }
            }
            return CAUGHT;
        }
        return start;
    }

    /** How long the calling thread spins next time it blocks on a call (for tests). */
    static long spinNanosOfThisThread() {
        return SPIN.get()[0];
    }

    /** After a wait that parked: had it been shorter than the longest spin, spin long enough next time. */
    private static void learn(long waitStart) {
        if (waitStart == CAUGHT) {
            return;
        }
        long waited = System.nanoTime() - waitStart;
        if (waited < MAX_SPIN_NANOS) {
            long[] spin = SPIN.get();
            spin[0] = Math.max(spin[0], Math.min(MAX_SPIN_NANOS, 2 * waited));
        }
    }
}
