package org.orleans4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.orleans4j.messaging.internal.ReadActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run grain turns: one per core, fed from one queue, of which only as many run as the
 * load needs.
 *
 * <p>A task offered while no worker runs wakes one; further workers join only when those running fall
 * behind. A watchdog looks every few milliseconds: when tasks waited at two looks in a row and no running
 * worker found the queue empty in between (they are saturated), it wakes as many more as run already; a worker
 * that has been in one turn since its last look (a turn that blocks its thread, or computes for long) no
 * longer counts as running, so the next task offered wakes another. Waking a worker for every burst, as a
 * plain pool does, costs more than it gives when turns are short: each wake-up costs tens of microseconds
 * on virtual machines, and the woken workers take the cores that the event loops need to read and write
 * those very calls (on 2 cores, a second worker woken per burst cost about a tenth of the cross-silo
 * throughput and did not speed up local calls).
 *
 * <p>An idle worker may spin briefly before parking (up to 100 µs, yielding its core now and then), because
 * waking a parked thread costs far more than a turn. Each worker adapts how long it spins to the idle gaps
 * it sees (long gaps stop it spinning; short ones, such as a caller's next call, keep it spinning), and only
 * one worker spins at a time, so a spinner never keeps a core from a thread with work.
 */
final class TurnScheduler extends AbstractExecutorService implements ReadActivity {

    private static final Logger log = LoggerFactory.getLogger(TurnScheduler.class);
    /**
     * The longest spin while a read is handed over: about the cost of parking and being woken again on a
     * virtual machine.
     */
    private static final long MAX_SPIN_NANOS = 50_000;
    /**
     * The longest spin for the next call once no read is in progress: a little more than a call between two
     * silos takes when no thread on its way sleeps, so that a caller's next call finds the worker awake.
     */
    private static final long MAX_IDLE_SPIN_NANOS = 100_000;
    /** Below this a spin is not worth starting. */
    private static final long MIN_SPIN_NANOS = 1_000;
    /**
     * How often the watchdog looks: the longest a backlog waits before more workers join, and a turn runs
     * before it no longer counts as running. Each look wakes a thread, which on a small machine preempts an
     * event loop now and then: a look every millisecond cost a few percent of cross-silo throughput on 2 cores.
     */
    static final long WATCH_NANOS = 5_000_000;

    private static final int RUNNING = 0;
    /** Running, but in one turn since the watchdog's last look: not counted in {@link #running}. */
    private static final int DISCOUNTED = 1;

    private static final int PARKED = 2;

    /** A worker thread and what the watchdog reads of it. */
    private static final class Worker {
        final Thread thread;
        /** {@link #RUNNING}, {@link #DISCOUNTED} or {@link #PARKED}: whoever leaves RUNNING lowers the count. */
        final AtomicInteger state = new AtomicInteger(RUNNING);
        /** Turns started, written by the worker alone (a store without a fence: the watchdog need not see it at once). */
        final AtomicLong turns = new AtomicLong();
        /** The watchdog's: the turns it saw at its last look, when the worker was running then. */
        long turnsSeen = -1;

        /** A worker whose thread (not started) runs {@code body} with this worker. */
        Worker(String name, Consumer<Worker> body) {
            this.thread = new Thread(() -> body.accept(this), name);
            this.thread.setDaemon(true);
        }
    }

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /**
     * Workers parked and not yet taken off this list by a waker (who counts them in {@link #running}). The
     * last to park is woken first: its caches are warm, and its spin is adapted to the latest gaps.
     */
    private final ConcurrentLinkedDeque<Worker> parked = new ConcurrentLinkedDeque<>();

    private final List<Worker> workers = new ArrayList<>();
    private final Thread watchdog;
    /** Workers running (not parked, not {@link #DISCOUNTED}): in a turn, looking for one, or woken. */
    private final AtomicInteger running = new AtomicInteger();
    /** Times a worker found the queue empty: while it does not move, the running workers have a backlog. */
    private final AtomicLong ranDry = new AtomicLong();
    /** A worker spins right now: another one parks at once. */
    private final AtomicBoolean spinning = new AtomicBoolean();
    /** Connections handing over what they read right now: their next calls are microseconds away. */
    private final AtomicInteger reading = new AtomicInteger();

    private final long watchNanos;
    private volatile boolean shutdown;

    TurnScheduler(String name, int threads) {
        this(name, threads, WATCH_NANOS);
    }

    /** With the watchdog looking every {@code watchNanos} (tests slow it down to see the workers alone). */
    TurnScheduler(String name, int threads, long watchNanos) {
        this.watchNanos = watchNanos;
        if (threads < 1) {
            throw new IllegalArgumentException("a turn scheduler needs at least one thread, was " + threads);
        }
        running.set(threads);
        for (int i = 0; i < threads; i++) {
            workers.add(new Worker("orleans-turn-" + name + "-" + (i + 1), this::work));
        }
        watchdog = new Thread(this::watch, "orleans-turn-" + name + "-watchdog");
        watchdog.setDaemon(true);
        workers.forEach(worker -> worker.thread.start());
        watchdog.start();
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("The turn scheduler is shut down");
        }
        queue.offer(task);
        // A running worker polls the queue before it parks (see parkUntilNeeded): it takes this task, or the
        // watchdog adds workers once it falls behind. So the offering thread (often an event loop) pays a
        // wake-up only when no worker runs, and then one.
        if (running.get() == 0 && running.compareAndSet(0, 1)) {
            Worker sleeper = parked.poll();
            if (sleeper != null) {
                LockSupport.unpark(sleeper.thread);
            } else {
                // Every worker is in a long turn, or starting: the watchdog or the workers themselves see the task.
                running.decrementAndGet();
            }
        }
    }

    private void work(Worker self) {
        long spinNanos = MAX_IDLE_SPIN_NANOS;
        long turns = 0;
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                if (shutdown) {
                    return;
                }
                ranDry.incrementAndGet();
                long idleSince = System.nanoTime();
                if (reading.get() > 0 && !spinning.get() && spinning.compareAndSet(false, true)) {
                    // Ran dry between two calls of one read (the turns outran the event loop that decodes
                    // them): the next comes within microseconds, and a wake-up for it would cost the loop more.
                    task = spinForTask(idleSince + MAX_SPIN_NANOS, true);
                    spinning.set(false);
                }
                if (task == null
                        && spinNanos >= MIN_SPIN_NANOS
                        && !spinning.get()
                        && spinning.compareAndSet(false, true)) {
                    task = spinForTask(idleSince + spinNanos, false);
                    spinning.set(false);
                    if (task == null) {
                        // The spin was wasted: spin half as long next time.
                        spinNanos /= 2;
                    }
                }
                if (task == null) {
                    parkUntilNeeded(self);
                    long idle = System.nanoTime() - idleSince;
                    if (idle < MAX_IDLE_SPIN_NANOS) {
                        // A spin of twice this gap would have caught the task without the cost of a wake-up.
                        spinNanos = Math.max(spinNanos, Math.min(MAX_IDLE_SPIN_NANOS, 2 * idle));
                    }
                    continue;
                }
            }
            self.turns.lazySet(++turns);
            run(task);
        }
    }

    /**
     * Parks until a waker takes this worker off the {@link #parked} list (and counts it running), or until
     * it finds a task queued itself. The announcement comes before the count drops and the queue is read
     * after it: an offer either sees no worker running and wakes this one, or is seen here.
     */
    private void parkUntilNeeded(Worker self) {
        parked.push(self);
        if (self.state.getAndSet(PARKED) == RUNNING) {
            running.decrementAndGet();
        }
        // Else the watchdog stopped counting this worker during its last turn.
        while (true) {
            if (!queue.isEmpty() || shutdown) {
                if (parked.remove(self)) {
                    running.incrementAndGet();
                }
                // Else a waker took this worker off the list and counted it already.
                break;
            }
            LockSupport.park(this);
            if (!parked.contains(self)) {
                break;
            }
            // Woken by nobody (or by a permit a waker left earlier): look again.
        }
        self.state.set(RUNNING);
    }

    /**
     * Every look: stops counting the workers that stayed in one turn since the last look, so that tasks
     * offered meanwhile wake others. Then, when tasks have waited at both looks and no running worker found
     * the queue empty in between (the workers are saturated), wakes as many as run (at least one), so that a
     * backlog on a large machine does not wait a look per core.
     */
    private void watch() {
        long lastDry = ranDry.get();
        boolean lastBacklog = false;
        while (!shutdown) {
            LockSupport.parkNanos(this, watchNanos);
            for (Worker worker : workers) {
                long turns = worker.turns.get();
                if (worker.state.get() == RUNNING
                        && turns == worker.turnsSeen
                        && worker.state.compareAndSet(RUNNING, DISCOUNTED)) {
                    running.decrementAndGet();
                }
                worker.turnsSeen = worker.state.get() == RUNNING ? turns : -1;
            }
            long dry = ranDry.get();
            boolean backlog = !queue.isEmpty();
            int more = 0;
            if (backlog && lastBacklog && dry == lastDry) {
                more = Math.max(1, running.get());
            } else if (backlog && running.get() == 0) {
                // Offered while every worker was in a long turn, and one has parked since.
                more = 1;
            }
            for (; more > 0; more--) {
                Worker sleeper = parked.poll();
                if (sleeper == null) {
                    break;
                }
                running.incrementAndGet();
                LockSupport.unpark(sleeper.thread);
            }
            lastDry = dry;
            lastBacklog = backlog;
        }
    }

    /** Workers counted as running (for tests). */
    int running() {
        return running.get();
    }

    @Override
    public void readStarted() {
        reading.incrementAndGet();
    }

    @Override
    public void readEnded() {
        reading.decrementAndGet();
    }

    /**
     * A task offered before {@code deadline} (and, {@code whileReading}, while some connection still hands
     * over a read); else null.
     */
    private @Nullable Runnable spinForTask(long deadline, boolean whileReading) {
        int spins = 0;
        Runnable task;
        do {
            // Reading the clock costs more than a poll on some virtual machines: read it every 64th spin, and
            // then yield the core, to an event loop or caller on it that the next task may be waiting for.
            if ((++spins & 63) != 0) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            task = queue.poll();
        } while (task == null
                && (!whileReading || reading.get() > 0)
                && ((spins & 63) != 0 || System.nanoTime() < deadline)
                && !shutdown);
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
        workers.forEach(worker -> LockSupport.unpark(worker.thread));
        LockSupport.unpark(watchdog);
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
        return shutdown && workers.stream().noneMatch(worker -> worker.thread.isAlive());
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Worker worker : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return isTerminated();
            }
            TimeUnit.NANOSECONDS.timedJoin(worker.thread, left);
        }
        return isTerminated();
    }
}
