package org.orleans4j.directory.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.UnauthorizedRequestException;

/**
 * The rules that give one activation per grain at every moment, on directories wired to each other in
 * memory (the wire is covered by the cluster tests): callers' versions make owners read the table
 * first, non-owners forward to the owner of their view, a silo that gains a range takes its entries over
 * from every holder before it answers for it, and entries a dead owner took with it come back from the
 * silos' confirmed activations.
 */
class DirectoryHandoverTest {

    private static final SiloAddress A = new SiloAddress("10.0.0.1", 11111, 1);
    private static final SiloAddress B = new SiloAddress("10.0.0.2", 11111, 1);
    private static final SiloAddress C = new SiloAddress("10.0.0.3", 11111, 1);

    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** The membership table every node reads when it refreshes. */
    private final AtomicReference<DirectoryMembership> table = new AtomicReference<>();

    private final Map<SiloAddress, Node> nodes = new HashMap<>();

    /** One silo: its directory, its activations, and the table reads it made. */
    private final class Node implements LocalActivations {
        final SiloAddress silo;
        final DistributedGrainDirectory directory;
        final List<GrainAddress> confirmed = new CopyOnWriteArrayList<>();
        final List<GrainAddress> duplicates = new CopyOnWriteArrayList<>();
        final AtomicInteger tableReads = new AtomicInteger();

        Node(SiloAddress silo) {
            this.silo = silo;
            this.directory = new DistributedGrainDirectory(
                    silo, this::send, 1000, this, this::readTable, executor, Duration.ofSeconds(5));
        }

        /** The directory of {@code target} as this node's silo reaches it: asynchronously, like over a connection. */
        private RemoteGrainDirectory send(SiloAddress target) {
            return (RemoteGrainDirectory) Proxy.newProxyInstance(
                    RemoteGrainDirectory.class.getClassLoader(),
                    new Class<?>[] {RemoteGrainDirectory.class},
                    (proxy, method, args) -> {
                        Node receiver = nodes.get(target);
                        if (receiver == null) {
                            return CompletableFuture.failedFuture(
                                    new SiloUnavailableException("Could not connect to silo " + target));
                        }
                        return CompletableFuture.supplyAsync(
                                        () -> call(
                                                method,
                                                receiver.directory.endpointFor(
                                                        silo,
                                                        DirectoryHandoverTest.this::isLive,
                                                        DirectoryHandoverTest.this::isDead),
                                                args),
                                        executor)
                                .thenCompose(result -> result);
                    });
        }

        private static CompletableFuture<?> call(Method method, RemoteGrainDirectory endpoint, Object[] args) {
            try {
                return (CompletableFuture<?>) method.invoke(endpoint, args);
            } catch (InvocationTargetException e) {
                return CompletableFuture.failedFuture(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private CompletableFuture<Void> readTable() {
            tableReads.incrementAndGet();
            directory.onMembershipChanged(table.get());
            return CompletableFuture.completedFuture(null);
        }

        /** Reads the table now, as its membership service does on a notice. */
        void refresh() {
            directory.onMembershipChanged(table.get());
        }

        @Override
        public List<GrainAddress> registering() {
            return confirmed;
        }

        @Override
        public List<GrainAddress> confirmed() {
            return confirmed;
        }

        @Override
        public void duplicate(GrainAddress address) {
            duplicates.add(address);
        }
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private boolean isLive(SiloAddress silo) {
        DirectoryMembership current = table.get();
        return current.active().contains(silo) || current.leaving().contains(silo);
    }

    private boolean isDead(SiloAddress silo) {
        return table.get().dead().contains(silo);
    }

    private Node node(SiloAddress silo) {
        return nodes.computeIfAbsent(silo, Node::new);
    }

    /** Writes a new table version; no node has read it yet. */
    private void write(long version, List<SiloAddress> active, Set<SiloAddress> dead) {
        table.set(new DirectoryMembership(version, active, Set.of(), dead));
    }

    /** A grain whose owner is {@code before} in the first ring and {@code after} in the second. */
    private static GrainId grainMoving(
            List<SiloAddress> first, SiloAddress before, List<SiloAddress> second, SiloAddress after) {
        DirectoryRing one = DirectoryRing.of(first);
        DirectoryRing two = DirectoryRing.of(second);
        for (int i = 0; ; i++) {
            GrainId id = GrainId.ofString("handover", "g" + i);
            if (before.equals(one.owner(id)) && after.equals(two.owner(id))) {
                return id;
            }
        }
    }

    private static GrainAddress at(GrainId id, SiloAddress silo, String activation) {
        return new GrainAddress(id, silo, activation);
    }

    @Test
    void aCallerWithANewerVersionMakesTheOwnerReadTheTableBeforeItAnswers() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        // Version 2 changes nothing the ring shows; only B has read it.
        write(2, List.of(A, B), Set.of(C));
        node(B).refresh();
        GrainId id = grainMoving(List.of(A, B), A, List.of(A, B), A);
        GrainAddress address = at(id, B, "b1");

        assertThat(node(B).directory.register(address).join()).isEqualTo(address);

        assertThat(node(A).directory.viewVersion()).isEqualTo(2);
        assertThat(node(A).tableReads.get()).isEqualTo(1);
        assertThat(node(A).directory.lookup(id).join()).isEqualTo(address);
    }

    @Test
    void aSiloThatIsNotTheOwnerInItsViewForwardsToTheOwnerThere() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        write(2, List.of(A, B, C), Set.of());
        node(A).refresh();
        node(C).refresh();
        // B still has version 1 and asks A; A (version 2) forwards to C, the owner there.
        GrainId id = grainMoving(List.of(A, B), A, List.of(A, B, C), C);
        GrainAddress address = at(id, B, "b1");

        assertThat(node(B).directory.register(address).join()).isEqualTo(address);

        assertThat(node(C).directory.partitionSize()).isEqualTo(1);
        assertThat(node(A).directory.partitionSize()).isZero();
        assertThat(node(C).directory.lookup(id).join()).isEqualTo(address);
    }

    @Test
    void aNewOwnerTakesTheRangeOverBeforeItAnswersSoASecondRegistrationLoses() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId id = grainMoving(List.of(A, B), A, List.of(A, B, C), C);
        GrainAddress first = at(id, B, "b1");
        assertThat(node(B).directory.register(first).join()).isEqualTo(first);
        assertThat(node(A).directory.partitionSize()).isEqualTo(1);

        // C joins; only C has read version 2. Its own registration waits for the take-over, which makes A
        // read version 2 (so A forwards from then on) and hand the entry over.
        write(2, List.of(A, B, C), Set.of());
        node(C).refresh();
        GrainAddress second = at(id, C, "c1");

        assertThat(node(C).directory.register(second).join())
                .as("the first registration still wins")
                .isEqualTo(first);

        assertThat(node(A).directory.viewVersion()).isEqualTo(2);
        assertThat(node(A).directory.partitionSize()).isZero();
        // A, now at version 2 too, forwards to C: the same answer.
        assertThat(node(B).directory.viewVersion())
                .as("B read version 2 for the take-over too")
                .isEqualTo(2);
        assertThat(node(A).directory.register(at(id, A, "a1")).join()).isEqualTo(first);
        assertThat(node(C).directory.isReady()).isTrue();
    }

    @Test
    void aHolderAheadOfTheTakeOverMakesTheRequesterCatchUpInstead() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId id = grainMoving(List.of(A, B), A, List.of(A, B, C), C);
        GrainAddress first = at(id, B, "b1");
        node(B).directory.register(first).join();
        write(2, List.of(A, B, C), Set.of());
        DirectoryMembership two = table.get();
        write(3, List.of(A, B, C), Set.of(new SiloAddress("10.0.0.9", 11111, 1)));
        node(A).refresh();
        node(B).refresh();

        // C applies version 2 late: A and B answer with version 3, C reads the table and takes over there.
        node(C).directory.onMembershipChanged(two);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> node(C).directory.viewVersion() == 3
                        && node(C).directory.isReady());
        assertThat(node(C).directory.lookup(id).join()).isEqualTo(first);
        assertThat(node(C).directory.register(at(id, C, "c1")).join()).isEqualTo(first);
    }

    @Test
    void entriesADeadOwnerTookWithItComeBackFromTheSilosConfirmedActivations() {
        write(1, List.of(A, B, C), Set.of());
        node(A).refresh();
        node(B).refresh();
        node(C).refresh();
        GrainId id = grainMoving(List.of(A, B, C), C, List.of(A, B), A);
        GrainAddress onB = at(id, B, "b1");
        assertThat(node(B).directory.register(onB).join()).isEqualTo(onB);
        node(B).confirmed.add(onB);
        assertThat(node(C).directory.partitionSize()).isEqualTo(1);

        // C dies with its partition; A owns the entry now and learns it from B's activations.
        nodes.remove(C);
        write(2, List.of(A, B), Set.of(C));
        node(A).refresh();
        node(B).refresh();

        assertThat(node(A).directory.register(at(id, A, "a1")).join()).isEqualTo(onB);
        assertThat(node(B).duplicates).isEmpty();
    }

    @Test
    void anActivationThatLosesTheReRegistrationWithItsNewOwnerIsADuplicate() {
        write(1, List.of(A, B, C), Set.of());
        node(A).refresh();
        node(B).refresh();
        node(C).refresh();
        GrainId id = grainMoving(List.of(A, B, C), C, List.of(A, B), A);
        GrainAddress onA = at(id, A, "a1");
        GrainAddress onB = at(id, B, "b1");
        // Two confirmed activations (an owner lost its entries): A's is the one the new owner keeps.
        node(A).confirmed.add(onA);
        node(B).confirmed.add(onB);
        nodes.remove(C);
        write(2, List.of(A, B), Set.of(C));
        node(A).refresh();
        node(B).refresh();

        await().atMost(Duration.ofSeconds(5)).until(() -> node(A).directory.isReady());
        GrainAddress kept = node(A).directory.lookup(id).join();
        GrainAddress lost = kept.equals(onA) ? onB : onA;
        await().atMost(Duration.ofSeconds(5))
                .until(() -> node(lost.silo()).duplicates.contains(lost));
        assertThat(node(kept.silo()).duplicates).isEmpty();
    }

    @Test
    void anOperationWhoseOwnerIsGoneGoesToTheOwnerOfTheNewerMembership() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId id = grainMoving(List.of(A, B), B, List.of(A), A);
        // B stops answering and the table says it is dead, but A has not read that yet.
        nodes.remove(B);
        write(2, List.of(A), Set.of(B));
        GrainAddress address = at(id, A, "a1");

        assertThat(node(A).directory.register(address).join()).isEqualTo(address);
        assertThat(node(A).directory.viewVersion()).isEqualTo(2);
    }

    @Test
    void anUnreachableOwnerFailsTheOperationWhenNoNewerMembershipComes() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId id = grainMoving(List.of(A, B), B, List.of(A), A);
        nodes.remove(B);

        assertThatThrownBy(() -> node(A).directory.register(at(id, A, "a1")).join())
                .hasCauseInstanceOf(SiloUnavailableException.class)
                .hasMessageContaining("Could not connect");
        assertThat(node(A).tableReads.get()).isEqualTo(MembershipCatchUp.ATTEMPTS);
    }

    @Test
    void anOperationThatWasForwardedTooOftenFails() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId ownedByB = grainMoving(List.of(A, B), B, List.of(A, B), B);
        Object answer = node(A).directory
                .endpointFor(B, this::isLive, this::isDead)
                .lookup(ownedByB, 1L, DistributedGrainDirectory.MAX_HOPS);
        assertThatThrownBy(((CompletableFuture<?>) answer)::join)
                .hasCauseInstanceOf(SiloUnavailableException.class)
                .hasMessageContaining("forwarded");
        assertThatThrownBy(() -> node(A).directory
                        .endpointFor(B, this::isLive, this::isDead)
                        .lookup(ownedByB, 1L, DistributedGrainDirectory.MAX_HOPS + 1))
                .isInstanceOf(GrainException.class)
                .hasMessageContaining("hop count");
    }

    @Test
    void onlyLiveMembersTakeRangesOverAndABatchNamesItsSenderOnly() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        SiloAddress stranger = new SiloAddress("10.0.0.8", 11111, 1);
        assertThatThrownBy(() -> node(A).directory
                        .endpointFor(stranger, this::isLive, this::isDead)
                        .release(1L))
                .isInstanceOf(UnauthorizedRequestException.class);
        List<GrainAddress> others = new ArrayList<>(List.of(at(GrainId.ofString("handover", "x"), A, "a1")));
        assertThatThrownBy(() -> node(A).directory
                        .endpointFor(B, this::isLive, this::isDead)
                        .registerMany(others, 1L))
                .isInstanceOf(UnauthorizedRequestException.class)
                .hasMessageContaining("registers its own activations");
        assertThatThrownBy(() -> node(A).directory
                        .endpointFor(B, this::isLive, this::isDead)
                        .release(-1L))
                .isInstanceOf(GrainException.class)
                .hasMessageContaining("membership version");
    }

    @Test
    void aReleaseGivesTheRequesterOnlyTheEntriesItOwnsAtThatVersion() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId moving = grainMoving(List.of(A, B), A, List.of(A, B, C), C);
        GrainId staying = grainMoving(List.of(A, B), A, List.of(A, B, C), A);
        node(B).directory.register(at(moving, B, "b1")).join();
        node(B).directory.register(at(staying, B, "b2")).join();
        write(2, List.of(A, B, C), Set.of());
        node(A).refresh();

        Object answer = ((CompletableFuture<?>) node(A).directory
                        .endpointFor(C, this::isLive, this::isDead)
                        .release(2L))
                .join();

        assertThat(answer).isEqualTo(List.of(List.of(at(moving, B, "b1")), List.of()));
        assertThat(node(A).directory.partitionSize()).isEqualTo(1);
        Object stale = ((CompletableFuture<?>) node(A).directory
                        .endpointFor(C, this::isLive, this::isDead)
                        .release(1L))
                .join();
        assertThat(stale).as("a holder at a newer version names it").isEqualTo(2L);
    }

    @Test
    void theLastSiloLeavingHasNobodyToHandItsEntriesToAndIsDoneAtOnce() {
        write(1, List.of(A), Set.of());
        node(A).refresh();
        GrainId id = GrainId.ofString("handover", "alone");
        node(A).directory.register(at(id, A, "a1")).join();
        assertThat(node(A).directory.partitionSize()).isEqualTo(1);

        // A writes ShuttingDown: no silo owns a range any more.
        table.set(new DirectoryMembership(2, List.of(), Set.of(A), Set.of()));
        node(A).refresh();

        assertThat(node(A).directory.handedOver()).isCompleted();
    }

    @Test
    void aLeavingSiloIsHandedOverOnlyOnceTheNewOwnerTookItsEntries() {
        write(1, List.of(A, B), Set.of());
        node(A).refresh();
        node(B).refresh();
        GrainId id = grainMoving(List.of(A, B), A, List.of(B), B);
        node(B).directory.register(at(id, B, "b1")).join();
        assertThat(node(A).directory.partitionSize()).isEqualTo(1);

        table.set(new DirectoryMembership(2, List.of(B), Set.of(A), Set.of()));
        node(A).refresh();
        CompletableFuture<Void> handedOver = node(A).directory.handedOver();
        assertThat(handedOver).isNotDone();

        node(B).refresh();
        assertThat(node(B).directory.lookup(id).join()).isEqualTo(at(id, B, "b1"));
        await().atMost(Duration.ofSeconds(5)).until(handedOver::isDone);
        assertThat(node(A).directory.partitionSize()).isZero();
    }
}
