package org.orleans4j.catalog.internal;

import io.micrometer.observation.Observation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.IncomingGrainCallFilter;
import org.orleans4j.calls.internal.CallRetryPolicy;
import org.orleans4j.calls.internal.FilteredCall;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.grain.ActivationFailedException;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainContext;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainReminder;
import org.orleans4j.grain.GrainTimer;
import org.orleans4j.grain.GrainTimerOptions;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.grain.Remindable;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.internal.Futures;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.reminders.internal.ReminderRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One activation: the grain instance, its inbox and its turn scheduling.
 * <p>
 * Everything that touches the grain or this object's mutable fields runs in a <em>turn</em>: a
 * drain of the inbox by one scheduler thread at a time (the {@code scheduled} flag guarantees it).
 * The inbox holds incoming requests, responses to calls this activation made, and continuations;
 * responses and continuations always run, requests start only when the reentrancy rules allow.
 */
public final class ActivationData implements Runnable, GrainContext {

    private static final Logger log = LoggerFactory.getLogger(ActivationData.class);
    /** Per thread: the activation whose turn runs here (one lookup serves reads and writes). */
    private static final class TurnThread {
        @Nullable
        ActivationData current;
    }

    private static final ThreadLocal<TurnThread> TURN = ThreadLocal.withInitial(TurnThread::new);
    private static final int TURN_BUDGET = 256;

    enum State {
        CREATED,
        ACTIVATING,
        VALID,
        DEACTIVATING,
        INVALID
    }

    private final Catalog catalog;
    private final GrainId grainId;
    private final GrainClassMetadata grainClass;
    private final GrainAddress address;
    /**
     * Items waiting for a turn; made by the first item that has to wait. Most activations never need one:
     * a call to an idle activation is handed to its turn (see {@link #enqueue}), and an inbox not made
     * costs no cache misses per call and no memory.
     */
    private volatile @Nullable ConcurrentLinkedQueue<Object> inbox;
    /**
     * 1 while a turn is scheduled or running, else 0. A field, not an {@code AtomicInteger}: every call
     * reads it, and a separate object would cost a cache miss more per call (and 16 bytes per activation).
     */
    private volatile int scheduled;

    private static final VarHandle SCHEDULED;
    private static final VarHandle INBOX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SCHEDULED = lookup.findVarHandle(ActivationData.class, "scheduled", int.class);
            INBOX = lookup.findVarHandle(ActivationData.class, "inbox", ConcurrentLinkedQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * The item that scheduled the next turn, handed to it past the inbox: written by the thread that set
     * {@link #scheduled} before it hands this activation to the scheduler (whose queue publishes it), taken by
     * that turn before anything in the inbox, which can only hold later items.
     */
    private @Nullable Object handedOver;

    private final CompletableFuture<Void> deactivated = new CompletableFuture<>();
    /** Requests enqueued but not finished; kept for stateless workers only, whose groups balance on it. */
    final AtomicInteger load = new AtomicInteger();

    private final boolean countsLoad;

    // Turn-confined state.
    private State state = State.CREATED;
    private @Nullable Object grain;
    /** The filters around this activation's calls, made with the grain; null when none. */
    private @Nullable List<IncomingGrainCallFilter> incomingFilters;
    /** Requests and timer ticks that may not start yet, in arrival order. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    private final List<PersistentStateBinding<?>> states = new ArrayList<>(1);
    /** Requests and timer ticks running (in a turn, or awaiting the stage they returned). */
    private int running;
    /** Of {@link #running}, the timer ticks: they are not activity for idle collection. */
    private int runningTicks;
    /** Open timers, closed all at once when the activation deactivates; null until the first. */
    private @Nullable List<ActivationTimer> timers;

    private int runningBlocking;
    private int runningBlockingWrites;
    private @Nullable DeactivationReason pendingDeactivation;
    private @Nullable ScheduledFuture<?> timeoutTimer;
    /** The observation of the activation or deactivation under way; null otherwise or when not observed. */
    private @Nullable Observation lifecycleObservation;
    /**
     * Idle tracking without a clock read per call: requests set the flag; each collector check
     * clears it and, when it was set, restarts the idle period from the check's time.
     */
    private boolean activeSinceLastCheck;

    private long idleSinceNanos = System.nanoTime();
    private volatile State publishedState = State.CREATED;
    /**
     * Set when the directory owner confirmed this activation's registration, cleared when it unregisters:
     * a new owner of the entry learns of the activation from its silo even if the old owner died.
     */
    private volatile boolean registered;

    ActivationData(Catalog catalog, GrainId grainId, GrainClassMetadata grainClass, String activationId) {
        this.catalog = catalog;
        this.grainId = grainId;
        this.grainClass = grainClass;
        this.address = new GrainAddress(grainId, catalog.localSilo(), activationId);
        this.countsLoad = grainClass.isStatelessWorker();
    }

    /** The activation whose turn is running on this thread, if any. */
    public static @Nullable ActivationData current() {
        return TURN.get().current;
    }

    /** Runs {@code action} with no current activation, restoring the current one afterwards. */
    static void runOutsideTurn(Runnable action) {
        TurnThread thread = TURN.get();
        ActivationData current = thread.current;
        if (current == null) {
            action.run();
            return;
        }
        thread.current = null;
        try {
            action.run();
        } finally {
            thread.current = current;
        }
    }

    // ---- entry points from any thread -------------------------------------------------------

    /** Adds a request, response or continuation and makes sure a turn will process it. */
    public void enqueue(Object item) {
        // An idle activation with nothing queued (the usual case for a call) takes the item with its turn: the
        // inbox's offer and poll cost each side a cache miss on a node the other thread wrote.
        if (scheduled == 0 && inboxIsEmpty() && SCHEDULED.compareAndSet(this, 0, 1)) {
            handedOver = item;
            try {
                catalog.scheduler().execute(this);
            } catch (RejectedExecutionException e) {
                // Not handed over after all: left in the inbox, as an item offered while the scheduler stops is.
                handedOver = null;
                offerToInbox(item);
                throw e;
            }
            return;
        }
        offerToInbox(item);
        if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            catalog.scheduler().execute(this);
        }
    }

    /** Enqueues a call for this activation (counted in its load). */
    public void enqueueRequest(Request request) {
        if (countsLoad) {
            load.incrementAndGet();
        }
        enqueue(request);
    }

    @Override
    public void run() {
        TurnThread thread = TURN.get();
        ActivationData previous = thread.current;
        thread.current = this;
        try {
            // The item handed over with this turn, if any, came before everything in the inbox.
            Object item = handedOver;
            handedOver = null;
            if (item == null) {
                item = pollInbox();
            }
            for (int budget = TURN_BUDGET; item != null; item = --budget > 0 ? pollInbox() : null) {
                process(item);
                if (!waiting.isEmpty()) {
                    pump();
                }
            }
        } finally {
            thread.current = previous;
            scheduled = 0;
        }
        // Items that arrived after the last poll (or beyond the budget) need another turn.
        if (!inboxIsEmpty() && SCHEDULED.compareAndSet(this, 0, 1)) {
            catalog.scheduler().execute(this);
        }
    }

    private boolean inboxIsEmpty() {
        ConcurrentLinkedQueue<Object> queue = inbox;
        return queue == null || queue.isEmpty();
    }

    private @Nullable Object pollInbox() {
        ConcurrentLinkedQueue<Object> queue = inbox;
        return queue == null ? null : queue.poll();
    }

    private void offerToInbox(Object item) {
        ConcurrentLinkedQueue<Object> queue = inbox;
        if (queue == null) {
            ConcurrentLinkedQueue<Object> made = new ConcurrentLinkedQueue<>();
            queue = INBOX.compareAndSet(this, null, made) ? made : inbox;
        }
        queue.offer(item);
    }

    private void process(Object item) {
        try {
            if (item instanceof Request request) {
                receive(request);
            } else if (item instanceof Request.Response response) {
                // The caller's continuation sees the request context it made the call with.
                Map<String, Object> previous = RequestContext.install(response.request().requestContext);
                try (ObservedTurn observed = ObservedTurn.enter(response.request().callerObservation, grainId)) {
                    response.complete();
                } finally {
                    RequestContext.install(previous);
                }
            } else if (item instanceof ActivationTimer.Tick tick) {
                receiveTick(tick);
            } else if (item instanceof Runnable task) {
                task.run();
            } else if (item instanceof Control control) {
                control.apply(this);
            } else if (item instanceof CollectIfIdle collect) {
                collectIfIdle(collect.ageNanos());
            } else if (item instanceof Deactivate deactivate) {
                requestDeactivation(deactivate.reason());
            }
        } catch (Throwable t) {
            log.error("Unexpected failure in a turn of {}; the activation keeps running", this, t);
        }
    }

    // ---- requests --------------------------------------------------------------------------

    private void receive(Request request) {
        switch (state) {
            case CREATED -> {
                waiting.add(request);
                beginActivation();
            }
            case ACTIVATING, DEACTIVATING -> waiting.add(request);
            case VALID -> {
                if ((waiting.isEmpty() || request.method.isAlwaysInterleave()) && mayStart(request)) {
                    start(request);
                } else {
                    waiting.add(request);
                }
            }
            case INVALID -> forward(request);
        }
    }

    private boolean mayStart(Request request) {
        if (state != State.VALID || pendingDeactivation != null) {
            return false;
        }
        if (running == 0 || grainClass.isReentrant() || request.method.isAlwaysInterleave()) {
            return true;
        }
        return request.method.isReadOnly() ? runningBlockingWrites == 0 : runningBlocking == 0;
    }

    private void pump() {
        Object next;
        while ((next = waiting.peek()) != null) {
            if (next instanceof Request request) {
                if (!mayStart(request)) {
                    break;
                }
                waiting.poll();
                start(request);
            } else {
                ActivationTimer.Tick tick = (ActivationTimer.Tick) next;
                if (!mayStartTick(tick)) {
                    break;
                }
                waiting.poll();
                startTick(tick);
            }
        }
        maybeDeactivate();
    }

    private void start(Request request) {
        if (request.isExpired(System.nanoTime())) {
            // Its caller has stopped waiting: running it now would only do work nobody reads.
            request.args = null;
            if (countsLoad) {
                load.decrementAndGet();
            }
            if (!request.isOneWay()) {
                request.respond(
                        null,
                        new ResponseTimeoutException(
                                request + " expired in the queue of " + this + " before it could run"));
            }
            return;
        }
        running++;
        boolean blocking = !request.method.isAlwaysInterleave();
        boolean blockingWrite = blocking && !request.method.isReadOnly();
        if (blocking) {
            runningBlocking++;
        }
        if (blockingWrite) {
            runningBlockingWrites++;
        }
        Map<String, Object> previousContext = RequestContext.install(request.requestContext);
        GrainObservations observations = catalog.observations();
        if (observations.callsEnabled()) {
            request.incoming = observations.startIncoming(
                    grainId, grainClass.typeName(), request.method.name(), request.requestContext);
        }
        CompletableFuture<Object> result;
        try (ObservedTurn observed = ObservedTurn.enter(request.incoming, grainId)) {
            result = invoke(request);
        } finally {
            RequestContext.install(previousContext);
        }
        request.args = null;
        if (result.isDone()) {
            finish(request, blocking, blockingWrite, result);
        } else {
            result.whenComplete((v, e) -> {
                if (current() == this) {
                    finish(request, blocking, blockingWrite, result);
                    pump();
                } else {
                    enqueue((Runnable) () -> finish(request, blocking, blockingWrite, result));
                }
            });
        }
    }

    private CompletableFuture<@Nullable Object> invoke(Request request) {
        Object target = grain;
        List<IncomingGrainCallFilter> filters = incomingFilters;
        if (filters == null) {
            return request.method.invoke(target, request.args);
        }
        MethodInfo method = request.method;
        return FilteredCall.incoming(
                filters,
                target,
                grainId,
                request.grainInterface,
                method.method(),
                request.args,
                args -> method.invoke(target, args));
    }

    private void finish(Request request, boolean blocking, boolean blockingWrite, CompletableFuture<Object> result) {
        running--;
        if (blocking) {
            runningBlocking--;
        }
        if (blockingWrite) {
            runningBlockingWrites--;
        }
        if (countsLoad) {
            load.decrementAndGet();
        }
        activeSinceLastCheck = true;
        Object value = null;
        Throwable failure = null;
        if (result.isCompletedExceptionally()) {
            failure = Futures.unwrap(result.exceptionNow());
        } else {
            value = result.resultNow();
        }
        if (failure instanceof InconsistentStateException) {
            requestDeactivation(DeactivationReason.INCONSISTENT_STATE);
        }
        if (CallRetryPolicy.isTransportFailure(failure)) {
            // The grain ran and let the transport failure of a call of its own escape. Handed on as it is,
            // its caller would take it for the failure of its own call and could send that again.
            failure = new GrainException(
                    request + " failed: a call it made failed in transit: " + failure.getMessage(), failure);
        }
        Observation incoming = request.incoming;
        if (incoming != null) {
            request.incoming = null;
            GrainObservations.stop(incoming, failure);
        }
        if (request.isOneWay()) {
            if (failure != null) {
                log.warn("One-way call {} failed", request, failure);
            }
        } else {
            request.respond(value, failure);
        }
        if (pendingDeactivation != null) {
            maybeDeactivate();
        }
    }

    // ---- timers ----------------------------------------------------------------------------

    private void receiveTick(ActivationTimer.Tick tick) {
        switch (state) {
            case ACTIVATING -> waiting.add(tick);
            case VALID -> {
                if ((waiting.isEmpty() || tick.timer().interleave) && mayStartTick(tick)) {
                    startTick(tick);
                } else {
                    waiting.add(tick);
                }
            }
            default -> {
                // Deactivating or gone: its timers are closed, the tick is late.
            }
        }
    }

    /** A tick is exclusive like a request that writes, unless its timer interleaves. */
    private boolean mayStartTick(ActivationTimer.Tick tick) {
        if (state != State.VALID || pendingDeactivation != null) {
            return false;
        }
        return tick.timer().interleave || grainClass.isReentrant() || runningBlocking == 0;
    }

    private void startTick(ActivationTimer.Tick tick) {
        ActivationTimer timer = tick.timer();
        if (!timer.accept(tick)) {
            return;
        }
        boolean blocking = !timer.interleave;
        running++;
        runningTicks++;
        if (blocking) {
            runningBlocking++;
            runningBlockingWrites++;
        }
        // A tick is not part of any call: calls it makes carry no request context.
        Map<String, Object> previousContext = RequestContext.install(null);
        CompletableFuture<?> done;
        try {
            done = timer.fire().toCompletableFuture();
        } catch (Throwable t) {
            done = CompletableFuture.failedFuture(t);
        } finally {
            RequestContext.install(previousContext);
        }
        long schedule = tick.schedule();
        if (done.isDone()) {
            finishTick(timer, schedule, blocking, done);
        } else {
            CompletableFuture<?> pending = done;
            pending.whenComplete((v, e) -> {
                if (current() == this) {
                    finishTick(timer, schedule, blocking, pending);
                    pump();
                } else {
                    enqueue((Runnable) () -> finishTick(timer, schedule, blocking, pending));
                }
            });
        }
    }

    private void finishTick(ActivationTimer timer, long schedule, boolean blocking, CompletableFuture<?> done) {
        running--;
        runningTicks--;
        if (blocking) {
            runningBlocking--;
            runningBlockingWrites--;
        }
        if (timer.keepAlive) {
            activeSinceLastCheck = true;
        }
        if (done.isCompletedExceptionally()) {
            Throwable failure = Futures.unwrap(done.exceptionNow());
            log.warn("A tick of the {} failed; the timer goes on", timer, failure);
            if (failure instanceof InconsistentStateException) {
                requestDeactivation(DeactivationReason.INCONSISTENT_STATE);
            }
        }
        timer.completed(schedule);
        if (pendingDeactivation != null) {
            maybeDeactivate();
        }
    }

    @Override
    public GrainTimer registerTimer(
            Supplier<? extends @Nullable CompletionStage<?>> callback, GrainTimerOptions options) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        if (current() != this) {
            throw new IllegalStateException("Register the timers of " + this
                    + " on its own turn (a grain method, onActivate, the constructor or a timer callback), "
                    + "not from another thread");
        }
        if (state != State.ACTIVATING && state != State.VALID) {
            throw new IllegalStateException(this + " is deactivating and takes no new timers");
        }
        ActivationTimer timer = new ActivationTimer(this, callback, options, catalog.timer());
        if (timers == null) {
            timers = new ArrayList<>(2);
        }
        timers.add(timer);
        timer.start(options.dueTime());
        return timer;
    }

    @Override
    public CompletableFuture<GrainReminder> registerOrUpdateReminder(String name, Duration dueTime, Duration period) {
        return resume(remindable().registerOrUpdate(grainId, name, dueTime, period));
    }

    @Override
    public CompletableFuture<Void> unregisterReminder(GrainReminder reminder) {
        Objects.requireNonNull(reminder, "reminder");
        return resume(remindable().unregister(grainId, reminder));
    }

    @Override
    public CompletableFuture<Optional<GrainReminder>> reminder(String name) {
        return resume(remindable().get(grainId, name));
    }

    @Override
    public CompletableFuture<List<GrainReminder>> reminders() {
        return resume(remindable().list(grainId));
    }

    /** The reminder registry, for a grain class that can receive reminders. */
    private ReminderRegistry remindable() {
        if (!Remindable.class.isAssignableFrom(grainClass.grainClass())) {
            throw new IllegalStateException(
                    "Grain class " + grainClass.grainClass().getName()
                            + " registers reminders but does not implement " + Remindable.class.getName()
                            + ", which receives their ticks");
        }
        return catalog.reminders();
    }

    /** Runs {@code action} on this activation's turn: now if this is its turn, else as the next item. */
    void onOwnTurn(Runnable action) {
        if (current() == this) {
            action.run();
        } else {
            enqueue(action);
        }
    }

    /** On the turn: a timer closed by its grain or after its one tick. */
    void timerClosed(ActivationTimer timer) {
        if (timers != null) {
            timers.remove(timer);
        }
    }

    private void closeTimers() {
        if (timers != null) {
            for (ActivationTimer timer : timers) {
                timer.closeForDeactivation();
            }
            timers = null;
        }
    }

    private void forward(Request request) {
        if (countsLoad) {
            load.decrementAndGet();
        }
        catalog.forward(request);
    }

    // ---- activation ------------------------------------------------------------------------

    private void beginActivation() {
        setState(State.ACTIVATING);
        GrainObservations observations = catalog.observations();
        if (observations.enabled()) {
            Map<String, Object> cause = waiting.peek() instanceof Request request ? request.requestContext : null;
            lifecycleObservation = observations.startActivation(grainId, grainClass.typeName(), cause);
        }
        if (grainClass.placementStrategy().isUsingGrainDirectory()) {
            register(null);
        } else {
            createAndLoad();
        }
        if (state == State.ACTIVATING) {
            long timeout = catalog.options().activationTimeout().toNanos();
            timeoutTimer =
                    catalog.timer().schedule(() -> enqueue(Control.ACTIVATION_TIMEOUT), timeout, TimeUnit.NANOSECONDS);
        }
    }

    /** Registers in the directory, replacing {@code previous} if the entry is still that. */
    private void register(@Nullable GrainAddress previous) {
        onTurn(catalog.directory().register(address, previous), (winner, error) -> {
            if (error != null) {
                failActivation(error);
            } else if (address.equals(winner)) {
                // Only now does the grain exist: no instance, no onActivate, no request before the owner said so.
                registered = true;
                createAndLoad();
            } else if (previous == null
                    && winner != null
                    && winner.silo().equals(address.silo())
                    && !catalog.isLive(winner)) {
                // The entry names an activation of this silo that is gone (its unregistration is still on
                // its way): replace it rather than forward to nothing.
                register(winner);
            } else {
                // Another activation registered first: hand our queue to it and vanish.
                log.debug("Grain {} is already active at {}; forwarding queued requests", grainId, winner);
                becomeInvalid();
            }
        });
    }

    private void createAndLoad() {
        try {
            grain = GrainBase.constructWith(this, () -> catalog.activator().createInstance(grainClass, this));
            incomingFilters = FilteredCall.incomingChain(catalog.incomingFilters(), grain);
        } catch (Throwable t) {
            failActivation(t);
            return;
        }
        CompletableFuture<?> reads;
        if (states.isEmpty()) {
            reads = CompletableFuture.completedFuture(null);
        } else if (states.size() == 1) {
            reads = states.get(0).read();
        } else {
            reads = CompletableFuture.allOf(
                    states.stream().map(PersistentStateBinding::read).toArray(CompletableFuture[]::new));
        }
        onTurn(reads, (ignored, error) -> {
            if (error != null) {
                failActivation(error);
                return;
            }
            CompletableFuture<Void> activated;
            try {
                activated =
                        grain instanceof GrainBase base ? base.onActivate() : CompletableFuture.completedFuture(null);
            } catch (Throwable t) {
                activated = CompletableFuture.failedFuture(t);
            }
            onTurn(activated, (v, e) -> {
                if (e != null) {
                    failActivation(e);
                } else if (state == State.ACTIVATING) {
                    cancelTimer();
                    setState(State.VALID);
                    endLifecycleObservation(null);
                    pump();
                }
            });
        });
    }

    private void failActivation(Throwable cause) {
        if (state != State.ACTIVATING) {
            return;
        }
        cancelTimer();
        Throwable root = Futures.unwrap(cause);
        endLifecycleObservation(root);
        log.warn("Activation of {} failed: {}", grainId, root.toString(), root);
        ActivationFailedException failure = new ActivationFailedException(
                "Could not activate grain " + grainId + " ("
                        + grainClass.grainClass().getName() + "): " + root,
                root);
        setState(State.INVALID);
        // Leave the catalog first, so a caller retrying on this failure gets a fresh activation.
        release(true);
        Object item;
        while ((item = waiting.poll()) != null) {
            if (item instanceof Request request) {
                if (countsLoad) {
                    load.decrementAndGet();
                }
                request.respond(null, failure);
            }
        }
    }

    // ---- deactivation ----------------------------------------------------------------------

    void requestDeactivation(DeactivationReason reason) {
        if (state == State.VALID || state == State.ACTIVATING) {
            if (pendingDeactivation == null) {
                pendingDeactivation = reason;
            }
            maybeDeactivate();
        } else if (state == State.CREATED) {
            setState(State.INVALID);
            release(true);
        }
    }

    private void maybeDeactivate() {
        if (pendingDeactivation == null || state != State.VALID || running > 0) {
            return;
        }
        setState(State.DEACTIVATING);
        closeTimers();
        GrainObservations observations = catalog.observations();
        if (observations.enabled()) {
            lifecycleObservation = observations.startDeactivation(
                    grainId, grainClass.typeName(), pendingDeactivation.name().toLowerCase(Locale.ROOT));
        }
        CompletableFuture<Void> done;
        try {
            done = grain instanceof GrainBase base
                    ? base.onDeactivate(pendingDeactivation)
                    : CompletableFuture.completedFuture(null);
        } catch (Throwable t) {
            done = CompletableFuture.failedFuture(t);
        }
        if (!done.isDone()) {
            long timeout = catalog.options().deactivationTimeout().toNanos();
            timeoutTimer = catalog.timer()
                    .schedule(() -> enqueue(Control.DEACTIVATION_TIMEOUT), timeout, TimeUnit.NANOSECONDS);
        }
        onTurn(done, (v, e) -> {
            if (e != null) {
                log.warn("onDeactivate of {} failed; deactivating anyway", grainId, Futures.unwrap(e));
            }
            completeDeactivation();
        });
    }

    private void completeDeactivation() {
        if (state != State.DEACTIVATING) {
            return;
        }
        cancelTimer();
        becomeInvalid();
    }

    /** Ends the observation of the activation or deactivation under way, if observed. */
    private void endLifecycleObservation(@Nullable Throwable failure) {
        Observation observation = lifecycleObservation;
        if (observation != null) {
            lifecycleObservation = null;
            GrainObservations.stop(observation, failure);
        }
    }

    GrainObservations observations() {
        return catalog.observations();
    }

    /** The observation of the activation under way (its state reads belong to it); null once active. */
    @Nullable
    Observation activationObservation() {
        return state == State.ACTIVATING ? lifecycleObservation : null;
    }

    /** Gone: deactivated, or another activation of the grain registered first and takes its calls. */
    private void becomeInvalid() {
        setState(State.INVALID);
        release(true);
        endLifecycleObservation(null);
        Object item;
        while ((item = waiting.poll()) != null) {
            if (item instanceof Request request) {
                forward(request);
            }
        }
    }

    private void release(boolean unregister) {
        closeTimers();
        // The instance goes first (its container's destruction callbacks run now), and only then does the
        // directory let another silo create the grain: two instances of one grain never live at once, even
        // when this thread stalls between the two steps.
        if (grain != null) {
            try {
                catalog.activator().releaseInstance(grainClass, grain);
            } catch (Throwable t) {
                log.warn("Releasing the instance of {} failed", grainId, t);
            }
        }
        if (unregister && grainClass.placementStrategy().isUsingGrainDirectory()) {
            registered = false;
            catalog.directory().unregister(address);
        }
        catalog.remove(this, pendingDeactivation);
        deactivated.complete(null);
    }

    private void cancelTimer() {
        if (timeoutTimer != null) {
            timeoutTimer.cancel(false);
            timeoutTimer = null;
        }
    }

    private void setState(State state) {
        this.state = state;
        this.publishedState = state;
    }

    /** Commands the catalog sends into a turn. */
    enum Control {
        ACTIVATION_TIMEOUT,
        DEACTIVATION_TIMEOUT;

        void apply(ActivationData a) {
            switch (this) {
                case ACTIVATION_TIMEOUT ->
                    a.failActivation(new TimeoutException("activation did not complete within "
                            + a.catalog.options().activationTimeout()));
                case DEACTIVATION_TIMEOUT -> {
                    log.warn(
                            "onDeactivate of {} did not complete within {}; deactivating anyway",
                            a.grainId,
                            a.catalog.options().deactivationTimeout());
                    a.completeDeactivation();
                }
            }
        }
    }

    /** Posted by the collector: deactivate if idle for at least {@code ageNanos}. */
    record CollectIfIdle(long ageNanos) {}

    record Deactivate(DeactivationReason reason) {}

    void collectIfIdle(long ageNanos) {
        long now = System.nanoTime();
        // Ticks of timers that do not keep the grain alive are not activity.
        if (activeSinceLastCheck || running > runningTicks) {
            activeSinceLastCheck = false;
            idleSinceNanos = now;
            return;
        }
        if (state == State.VALID
                && waiting.isEmpty()
                && pendingDeactivation == null
                && now - idleSinceNanos >= ageNanos) {
            requestDeactivation(DeactivationReason.IDLE);
        }
    }

    // ---- continuations ---------------------------------------------------------------------

    /** Runs {@code continuation} on this activation's turn once {@code future} completes. */
    private <T> void onTurn(
            CompletableFuture<T> future, BiConsumer<? super @Nullable T, ? super @Nullable Throwable> continuation) {
        if (future.isDone() && current() == this) {
            T value = future.isCompletedExceptionally() ? null : future.resultNow();
            Throwable error = future.isCompletedExceptionally() ? future.exceptionNow() : null;
            continuation.accept(value, error);
            return;
        }
        future.whenComplete((v, e) -> {
            if (current() == this) {
                continuation.accept(v, e);
            } else {
                enqueue((Runnable) () -> continuation.accept(v, e));
            }
        });
    }

    @Override
    public <T> CompletableFuture<T> resume(CompletionStage<T> stage) {
        CompletableFuture<T> resumed = new CompletableFuture<>();
        Map<String, Object> context = RequestContext.export();
        Observation observation = catalog.observations().current();
        onTurn(stage.toCompletableFuture(), (v, e) -> {
            Map<String, Object> previous = RequestContext.install(context);
            try (ObservedTurn observed = ObservedTurn.enter(observation, grainId)) {
                if (e != null) {
                    resumed.completeExceptionally(Futures.unwrap(e));
                } else {
                    resumed.complete(v);
                }
            } finally {
                RequestContext.install(previous);
            }
        });
        return resumed;
    }

    @Override
    public Executor executor() {
        return task -> {
            Map<String, Object> context = RequestContext.export();
            Observation observation = catalog.observations().current();
            enqueue((Runnable) () -> {
                Map<String, Object> previous = RequestContext.install(context);
                try (ObservedTurn observed = ObservedTurn.enter(observation, grainId)) {
                    task.run();
                } finally {
                    RequestContext.install(previous);
                }
            });
        };
    }

    // ---- GrainContext ----------------------------------------------------------------------

    @Override
    public GrainId grainId() {
        return grainId;
    }

    @Override
    public String activationId() {
        return address.activationId();
    }

    @Override
    public GrainFactory grainFactory() {
        return catalog.grainFactory();
    }

    @Override
    public <T> PersistentState<T> persistentState(
            String stateName, @Nullable String storageName, Class<T> type, Supplier<? extends T> initial) {
        if (stateName == null || stateName.isBlank()) {
            throw new IllegalArgumentException("state name must not be empty");
        }
        for (PersistentStateBinding<?> existing : states) {
            if (existing.name().equals(stateName)) {
                throw new IllegalArgumentException("Grain "
                        + grainClass.grainClass().getName() + " declares persistent state '" + stateName + "' twice");
            }
        }
        PersistentStateBinding<T> binding =
                new PersistentStateBinding<>(this, stateName, catalog.storage(storageName, grainClass), type, initial);
        states.add(binding);
        return binding;
    }

    /** Deactivates once the current turn ends (from any thread). */
    public void deactivate(DeactivationReason reason) {
        enqueue(new Deactivate(reason));
    }

    @Override
    public void deactivateOnIdle() {
        if (current() == this) {
            requestDeactivation(DeactivationReason.APPLICATION_REQUESTED);
        } else {
            enqueue(new Deactivate(DeactivationReason.APPLICATION_REQUESTED));
        }
    }

    // ---- accessors -------------------------------------------------------------------------

    GrainAddress address() {
        return address;
    }

    public GrainClassMetadata grainClass() {
        return grainClass;
    }

    /** Completes once the activation is gone (deactivated, or failed to activate). */
    public CompletableFuture<Void> whenDeactivated() {
        return deactivated;
    }

    /** Whether the directory owner confirmed this activation's registration and it has not unregistered yet. */
    boolean holdsRegistration() {
        return registered;
    }

    boolean isValidOrActivating() {
        State s = publishedState;
        return s == State.CREATED || s == State.ACTIVATING || s == State.VALID;
    }

    @Override
    public String toString() {
        return "activation " + address.activationId() + " of " + grainId;
    }
}
