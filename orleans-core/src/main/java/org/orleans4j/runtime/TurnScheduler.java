package org.orleans4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run grain turns: one per core, fed from one queue. An idle worker may spin briefly
 * before parking, because waking a parked thread costs tens of microseconds on virtual machines, far
 * more than a turn; under steady load the workers never park at all.
 *
 * <p>Spinning pays only when the next task comes sooner than a wake-up would take, and on a machine
 * with few cores a spinner takes the core that the event loops and callers need. So each worker
 * adapts how long it spins to the idle gaps it sees (long gaps, such as the round trip of a call
 * between silos, stop it spinning; short ones, such as a caller's next call, keep it spinning), and
 * only one worker spins at a time: a task offered while it spins wakes nobody.
 */
final class TurnScheduler extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(TurnScheduler.class);
    /** The longest spin: about the cost of parking and being woken again on a virtual machine. */
    private static final long MAX_SPIN_NANOS = 50_000;
    /** Below this a spin is not worth starting. */
    private static final long MIN_SPIN_NANOS = 1_000;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    /** Whether a worker spins for a task right now: a task offered meanwhile needs no wake-up. */
    private final AtomicBoolean spinning = new AtomicBoolean();

    private volatile boolean shutdown;

    TurnScheduler(String name, int threads) {
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::work, "orleans-turn-" + name + "-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("The turn scheduler is shut down");
        }
        queue.offer(task);
        if (!spinning.get()) {
            wakeOne();
        }
    }

    private void wakeOne() {
        Thread sleeper = parked.poll();
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
        }
    }

    private void work() {
        Thread self = Thread.currentThread();
        long spinNanos = MAX_SPIN_NANOS;
        while (true) {
            Runnable task = queue.poll();
            if (task != null) {
                run(task);
                continue;
            }
            long idleSince = System.nanoTime();
            if (spinNanos >= MIN_SPIN_NANOS && spinning.compareAndSet(false, true)) {
                task = spinForTask(idleSince + spinNanos);
                spinning.set(false);
                if (task != null) {
                    if (!queue.isEmpty()) {
                        // Tasks offered while this worker spun woke nobody: another worker takes the rest.
                        wakeOne();
                    }
                    run(task);
                    continue;
                }
                // The spin was wasted: spin half as long next time.
                spinNanos /= 2;
            }
            if (shutdown) {
                return;
            }
            parked.offer(self);
            // Re-check after announcing: a task offered before the announcement found no sleeper.
            if (queue.isEmpty() && !shutdown) {
                LockSupport.park(this);
            }
            parked.remove(self);
            long idle = System.nanoTime() - idleSince;
            if (idle < MAX_SPIN_NANOS) {
                // A spin of twice this gap would have caught the task without the cost of a wake-up.
                spinNanos = Math.max(spinNanos, Math.min(MAX_SPIN_NANOS, 2 * idle));
            }
        }
    }

    private @Nullable Runnable spinForTask(long deadline) {
        int spins = 0;
        Runnable task;
        do {
            Thread.onSpinWait();
            task = queue.poll();
            // Reading the clock costs more than a poll on some virtual machines: read it every 64th spin.
        } while (task == null && ((++spins & 63) != 0 || System.nanoTime() < deadline) && !shutdown);
        return task;
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("A grain turn failed outside the runtime's own handling", t);
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        workers.forEach(LockSupport::unpark);
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> pending = new ArrayList<>(queue);
        queue.clear();
        return pending;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && workers.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread worker : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return isTerminated();
            }
            TimeUnit.NANOSECONDS.timedJoin(worker, left);
        }
        return isTerminated();
    }
}
