package org.orleans4j.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.grain.ReadOnly;
import org.orleans4j.placement.ActivationCountBasedPlacement;
import org.orleans4j.placement.HashBasedPlacement;
import org.orleans4j.placement.RandomPlacement;
import org.orleans4j.placement.StatelessWorker;

/** Grains for multi-silo tests. */
final class ClusterGrains {

    private ClusterGrains() {}

    record Note(String text, int version) {}

    interface NoteGrain extends GrainWithStringKey {
        CompletableFuture<String> activationId();

        @ReadOnly
        CompletableFuture<Note> read();

        CompletableFuture<Note> write(String text);

        /** Calls another note grain and returns what it read, after a continuation on this grain's turn. */
        CompletableFuture<List<String>> readThrough(String otherKey);

        CompletableFuture<Void> fail(String message);
    }

    @RandomPlacement
    public static class NoteGrainImpl extends GrainBase implements NoteGrain {
        private final PersistentState<Note> note = persistentState("note", Note.class, () -> new Note(null, 0));
        private int turnsSeen;

        @Override
        public CompletableFuture<String> activationId() {
            return CompletableFuture.completedFuture(context().activationId());
        }

        @Override
        public CompletableFuture<Note> read() {
            return CompletableFuture.completedFuture(note.state());
        }

        @Override
        public CompletableFuture<Note> write(String text) {
            note.setState(new Note(text, note.state().version() + 1));
            return note.writeState().thenApply(v -> note.state());
        }

        @Override
        public CompletableFuture<List<String>> readThrough(String otherKey) {
            int before = ++turnsSeen;
            return grainFactory().getGrain(NoteGrain.class, otherKey).read().thenApply(other -> {
                // Runs on this activation's turn: fields are safe to touch.
                turnsSeen++;
                return List.of(String.valueOf(other.text()), String.valueOf(turnsSeen - before));
            });
        }

        @Override
        public CompletableFuture<Void> fail(String message) {
            throw new IllegalArgumentException(message);
        }
    }

    interface CountedGrain extends GrainWithLongKey {
        CompletableFuture<Long> touch();
    }

    @ActivationCountBasedPlacement
    public static class CountedGrainImpl extends GrainBase implements CountedGrain {
        @Override
        public CompletableFuture<Long> touch() {
            return CompletableFuture.completedFuture(grainId().keyAsLong());
        }
    }

    interface HashedGrain extends GrainWithLongKey {
        CompletableFuture<Long> touch();
    }

    @HashBasedPlacement
    public static class HashedGrainImpl extends GrainBase implements HashedGrain {
        @Override
        public CompletableFuture<Long> touch() {
            return CompletableFuture.completedFuture(grainId().keyAsLong());
        }
    }

    interface WorkerGrain extends GrainWithLongKey {
        CompletableFuture<String> work();
    }

    @StatelessWorker(maxLocalWorkers = 2)
    public static class WorkerGrainImpl extends GrainBase implements WorkerGrain {
        @Override
        public CompletableFuture<String> work() {
            return CompletableFuture.completedFuture(context().activationId());
        }
    }
}
