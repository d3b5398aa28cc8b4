package org.orleans4j.directory.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * One silo's directory at one membership version: the ring of that version, the silos that may hold
 * entries of ranges this silo gained there, and the take-over of those ranges. A range this silo gained
 * is answered only once every holder gave up its entries for this version ({@link #ready()}), so no
 * two silos answer for one grain at the same time; a range it owned in the view just before, whose
 * take-over completed there, is answered at once.
 */
final class DirectoryView {

    private final long version;
    private final DirectoryRing ring;
    private final Set<SiloAddress> members;
    private final Set<SiloAddress> holders;
    private final SiloAddress self;
    /** The previous view's ring if its ranges were all taken over; {@code null} if not (everything is taken over again). */
    private final @Nullable DirectoryRing carried;
    /** Completes when the gained ranges were taken over, or when a newer view replaced this one. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Completes when every take-over request of this view was answered or given up (and its entries stored). */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    private final CompletableFuture<Void> priorSettled;
    /** Set (under the directory's monitor) when the take-over completed while this was the current view. */
    private boolean acquired;

    private DirectoryView(
            long version,
            DirectoryRing ring,
            Set<SiloAddress> members,
            SiloAddress self,
            @Nullable DirectoryRing carried,
            CompletableFuture<Void> priorSettled) {
        this.version = version;
        this.ring = ring;
        this.members = members;
        this.self = self;
        this.carried = carried;
        this.priorSettled = priorSettled;
        Set<SiloAddress> others = new HashSet<>(members);
        others.remove(self);
        this.holders = Set.copyOf(others);
    }

    /** The view before any membership was read: owns nothing, so nothing to take over. */
    static DirectoryView initial(SiloAddress self) {
        DirectoryView view = new DirectoryView(
                -1, DirectoryRing.EMPTY, Set.of(), self, DirectoryRing.EMPTY, CompletableFuture.completedFuture(null));
        view.acquired = true;
        view.ready.complete(null);
        view.settled.complete(null);
        return view;
    }

    /** The view of {@code membership} after {@code previous}. */
    static DirectoryView next(DirectoryView previous, DirectoryMembership membership, SiloAddress self) {
        Set<SiloAddress> members = new HashSet<>(membership.active());
        members.addAll(membership.leaving());
        CompletableFuture<Void> prior = previous.priorSettled.isDone() && previous.settled.isDone()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(previous.priorSettled, previous.settled);
        return new DirectoryView(
                membership.version(),
                DirectoryRing.of(membership.active()),
                Set.copyOf(members),
                self,
                previous.acquired ? previous.ring : null,
                prior);
    }

    long version() {
        return version;
    }

    DirectoryRing ring() {
        return ring;
    }

    /** Active and ShuttingDown silos other than this one: whoever may hold entries of a range this silo gained. */
    Set<SiloAddress> holders() {
        return holders;
    }

    /** Whether {@code silo} may be named by an entry handed over in this view (Active, ShuttingDown, or this silo). */
    boolean isMember(SiloAddress silo) {
        return members.contains(silo) || silo.equals(self);
    }

    /** Whether this silo owns {@code grainId}'s entry here but not (taken over) in the view before. */
    boolean gained(GrainId grainId) {
        return self.equals(ring.owner(grainId)) && (carried == null || !self.equals(carried.owner(grainId)));
    }

    /** Whether this silo gained any range in this view. */
    boolean gainsAnything() {
        return ring.contains(self) && (carried == null || ring.gainsOver(carried, self));
    }

    CompletableFuture<Void> ready() {
        return ready;
    }

    CompletableFuture<Void> settled() {
        return settled;
    }

    /** Completes once the take-overs of all earlier views settled: entries they pulled are stored by then. */
    CompletableFuture<Void> priorSettled() {
        return priorSettled;
    }

    boolean acquired() {
        return acquired;
    }

    void markAcquired() {
        acquired = true;
    }

    @Override
    public String toString() {
        return "view " + version + " " + ring;
    }
}
