package org.orleans4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run grain turns: one per core, fed from one queue. An idle worker spins briefly
 * before parking, because waking a parked thread costs tens of microseconds on virtual machines,
 * far more than a turn; under steady load the workers never park at all.
 */
final class TurnScheduler extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(TurnScheduler.class);
    private static final long SPIN_NANOS = 50_000;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> parked = new ConcurrentLinkedQueue<>();
    private final List<Thread> workers = new ArrayList<>();
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
        Thread sleeper = parked.poll();
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
        }
    }

    private void work() {
        Thread self = Thread.currentThread();
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                task = spinForTask();
            }
            if (task != null) {
                run(task);
                continue;
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
        }
    }

    private @Nullable Runnable spinForTask() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        Runnable task;
        do {
            Thread.onSpinWait();
            task = queue.poll();
        } while (task == null && System.nanoTime() < deadline && !shutdown);
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
