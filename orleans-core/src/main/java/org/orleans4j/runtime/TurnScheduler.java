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
 * only one worker searches at a time (spins, or has been woken and not yet taken a task): a task
 * offered meanwhile wakes nobody, and a searcher that takes a task with more queued wakes the next.
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
    /**
     * Whether a worker searches for a task right now (spins, or was woken and has not taken one yet): a
     * task offered meanwhile needs no further wake-up.
     */
    private final AtomicBoolean searching = new AtomicBoolean();

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
        signal();
    }

    /**
     * Makes sure some worker looks for queued tasks: wakes a parked worker unless one is searching
     * already (spinning, or woken and not yet at a task). A burst of tasks offered by one event loop
     * read thus wakes one worker, and that worker wakes the next once it has a task: the wake-ups are
     * paid by the turn threads, not by the event loop, and no more are paid than there are tasks.
     */
    private void signal() {
        if (!searching.get() && searching.compareAndSet(false, true)) {
            Thread sleeper = parked.poll();
            if (sleeper != null) {
                // The woken worker holds the search until it takes a task.
                LockSupport.unpark(sleeper);
            } else {
                // Every worker is running a turn: each polls the queue when its turn ends.
                searching.set(false);
            }
        }
    }

    private void work() {
        Thread self = Thread.currentThread();
        long spinNanos = MAX_SPIN_NANOS;
        // Whether this worker holds the search (see signal).
        boolean searcher = false;
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                long idleSince = System.nanoTime();
                if (!searcher && spinNanos >= MIN_SPIN_NANOS && searching.compareAndSet(false, true)) {
                    searcher = true;
                }
                if (searcher && spinNanos >= MIN_SPIN_NANOS) {
                    task = spinForTask(idleSince + spinNanos);
                    if (task == null) {
                        // The spin was wasted: spin half as long next time.
                        spinNanos /= 2;
                    }
                }
                if (task == null) {
                    if (searcher) {
                        searcher = false;
                        searching.set(false);
                        // Re-check after giving up the search: a task offered before saw a searcher and woke nobody.
                        if (!queue.isEmpty()) {
                            continue;
                        }
                    }
                    if (shutdown) {
                        return;
                    }
                    parked.offer(self);
                    // Re-check after announcing: a task offered before the announcement found no sleeper.
                    if (queue.isEmpty() && !shutdown) {
                        LockSupport.park(this);
                    }
                    // Taken off the list by signal(): this worker was woken to search.
                    searcher = !parked.remove(self);
                    long idle = System.nanoTime() - idleSince;
                    if (idle < MAX_SPIN_NANOS) {
                        // A spin of twice this gap would have caught the task without the cost of a wake-up.
                        spinNanos = Math.max(spinNanos, Math.min(MAX_SPIN_NANOS, 2 * idle));
                    }
                    continue;
                }
            }
            if (searcher) {
                searcher = false;
                searching.set(false);
                if (!queue.isEmpty()) {
                    // More came while this worker searched: another worker takes them.
                    signal();
                }
            }
            run(task);
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
