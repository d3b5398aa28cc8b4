package org.orleans4j.runtime;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.orleans4j.grain.CollectionAgeLimit;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;

/** Grains whose lifecycle events land in a shared log. */
final class LifecycleGrains {

    static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();
    /** When set, onActivate of {@link SlowActivationGrain} returns this (never completed: a timeout). */
    static volatile CompletableFuture<Void> slowActivation = new CompletableFuture<>();

    private LifecycleGrains() {}

    static List<String> events() {
        return List.copyOf(EVENTS);
    }

    interface Tracked extends GrainWithStringKey {
        CompletableFuture<String> activationId();

        CompletableFuture<Void> deactivate();
    }

    static class TrackedGrain extends GrainBase implements Tracked {
        @Override
        public CompletableFuture<Void> onActivate() {
            EVENTS.add("activate:" + primaryKeyString());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
            EVENTS.add("deactivate:" + primaryKeyString() + ":" + reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> activationId() {
            EVENTS.add("call:" + primaryKeyString());
            return CompletableFuture.completedFuture(context().activationId());
        }

        @Override
        public CompletableFuture<Void> deactivate() {
            deactivateOnIdle();
            return CompletableFuture.completedFuture(null);
        }
    }

    interface Pinned extends GrainWithStringKey {
        CompletableFuture<String> activationId();
    }

    @CollectionAgeLimit(alwaysActive = true)
    static class PinnedGrain extends GrainBase implements Pinned {
        @Override
        public CompletableFuture<String> activationId() {
            return CompletableFuture.completedFuture(context().activationId());
        }
    }

    interface SlowActivation extends GrainWithStringKey {
        CompletableFuture<String> ping();
    }

    static class SlowActivationGrain extends GrainBase implements SlowActivation {
        @Override
        public CompletableFuture<Void> onActivate() {
            return slowActivation;
        }

        @Override
        public CompletableFuture<String> ping() {
            return CompletableFuture.completedFuture("pong");
        }
    }

    interface FailingActivation extends GrainWithStringKey {
        CompletableFuture<String> ping();
    }

    static class FailingActivationGrain extends GrainBase implements FailingActivation {
        static volatile boolean fail = true;

        @Override
        public CompletableFuture<Void> onActivate() {
            if (fail) {
                throw new IllegalStateException("boom in onActivate");
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> ping() {
            return CompletableFuture.completedFuture("pong");
        }
    }

    interface Keys extends GrainWithLongKey {
        CompletableFuture<Long> key();
    }

    static class KeysGrain extends GrainBase implements Keys {
        @Override
        public CompletableFuture<Long> key() {
            return CompletableFuture.completedFuture(primaryKeyLong());
        }
    }

    interface UuidKeys extends GrainWithUuidKey {
        CompletableFuture<java.util.UUID> key();
    }

    static class UuidKeysGrain extends GrainBase implements UuidKeys {
        @Override
        public CompletableFuture<java.util.UUID> key() {
            return CompletableFuture.completedFuture(primaryKeyUuid());
        }
    }
}
