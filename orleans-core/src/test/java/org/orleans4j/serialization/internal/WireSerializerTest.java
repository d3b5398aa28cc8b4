package org.orleans4j.serialization.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.CallOutcomeUnknownException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.RemoteGrainException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.serialization.SerializationException;

class WireSerializerTest {

    enum Color {
        RED,
        GREEN
    }

    record Line(String text, int count, Color color, List<Tag> tags) {}

    record Tag(String name, Instant at) {}

    static final class Mutable {
        String name;
        Map<String, Long> totals = new HashMap<>();

        Mutable(String name) {
            this.name = name;
        }
    }

    record NotInAnySignature(String value) {}

    static class GrainFailure extends RuntimeException {
        public GrainFailure(String message) {
            super(message);
        }
    }

    interface SampleGrain extends GrainWithStringKey {
        CompletableFuture<Line> line(Line in, Mutable extra, UUID id) throws GrainFailure;

        CompletableFuture<List<Map<String, BigDecimal>>> nested(Set<Duration> durations);
    }

    private final WireSerializer serializer =
            new WireSerializer(new SerializationTypes().scanInterface(SampleGrain.class), 1 << 20);

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        return (T) serializer.deserialize(serializer.serialize(value));
    }

    @Test
    void valuesReachableFromSignaturesRoundTrip() {
        Line line =
                new Line("hello", 3, Color.GREEN, List.of(new Tag("a", Instant.ofEpochSecond(5)), new Tag("b", null)));
        assertThat(roundTrip(line)).isEqualTo(line);
        Mutable mutable = new Mutable("m");
        mutable.totals.put("x", 7L);
        Mutable back = roundTrip(mutable);
        assertThat(back.name).isEqualTo("m");
        assertThat(back.totals).containsEntry("x", 7L);
        List<Map<String, BigDecimal>> nested = new ArrayList<>(List.of(Map.of("pi", new BigDecimal("3.14"))));
        assertThat(roundTrip(nested)).isEqualTo(nested);
        assertThat(roundTrip(Set.of(Duration.ofSeconds(1), Duration.ofMillis(3))))
                .containsExactlyInAnyOrder(Duration.ofSeconds(1), Duration.ofMillis(3));
        assertThat((Object) roundTrip(null)).isNull();
    }

    @Test
    void runtimeTypesRoundTrip() {
        GrainId id = GrainId.ofString("entry", "яблоко");
        SiloAddress silo = new SiloAddress("127.0.0.1", 11111, 42);
        GrainAddress address = new GrainAddress(id, silo, UUID.randomUUID().toString());
        assertThat(roundTrip(address)).isEqualTo(address);
        assertThat(roundTrip(GrainId.ofLong("counter", -5))).isEqualTo(GrainId.ofLong("counter", -5));
    }

    @Test
    void argumentsRoundTripWithTheirCount() {
        UUID uuid = UUID.randomUUID();
        Object[] args = {new Line("x", 1, Color.RED, List.of()), null, uuid};
        assertThat(serializer.deserializeArgs(serializer.serializeArgs(args))).containsExactly(args);
        assertThat(serializer.deserializeArgs(serializer.serializeArgs(null))).isEmpty();
    }

    @Test
    void aTypeOutsideTheAllowListIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> serializer.serialize(new java.util.concurrent.atomic.AtomicLong(1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.util.concurrent.atomic.AtomicLong")
                .hasMessageContaining("orleans.serialization.allowed-types");
        WireSerializer allowing = new WireSerializer(new SerializationTypes().allow(NotInAnySignature.class), 1 << 20);
        assertThat(allowing.deserialize(allowing.serialize(new NotInAnySignature("v"))))
                .isEqualTo(new NotInAnySignature("v"));
        assertThatThrownBy(() -> new SerializationTypes().allow(java.io.File.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Types of a grain interface's package are the application's own: they cross without being listed. */
    @Test
    void aTypeOfTheGrainInterfacesPackageCrossesUnlistedOneOfAnotherPackageDoesNot() {
        assertThat(serializer.deserialize(serializer.serialize(new NotInAnySignature("v"))))
                .isEqualTo(new NotInAnySignature("v"));
        assertThat(serializer.isApplicationName(NotInAnySignature.class.getName()))
                .isTrue();
        assertThat(serializer.isApplicationName("org.orleans4j.runtime.Silo")).isFalse();
        assertThat(serializer.isApplicationName("java.lang.ProcessBuilder")).isFalse();
        // A side for which that package is not the application's refuses the name before loading the class.
        WireSerializer stranger = new WireSerializer(new SerializationTypes(), 1 << 20);
        byte[] named = serializer.serialize(new NotInAnySignature("v"));
        assertThatThrownBy(() -> stranger.deserialize(named))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("may not cross the wire")
                .hasMessageContaining(NotInAnySignature.class.getName());
    }

    @Test
    void bytesNamingAnUnregisteredTypeAreRefused() {
        WireSerializer wider = new WireSerializer(new SerializationTypes().allow(NotInAnySignature.class), 1 << 20);
        byte[] foreign = wider.serialize(new NotInAnySignature("v"));
        assertThatThrownBy(() -> serializer.deserialize(foreign)).isInstanceOf(SerializationException.class);
    }

    /** Tagged fields: lengths, kinds and tags from the network are checked, whatever bytes they are. */
    @Test
    void mutatedRecordsEndAsSerializationExceptions() {
        Line line =
                new Line("hello", 3, Color.GREEN, List.of(new Tag("a", Instant.ofEpochSecond(5)), new Tag("b", null)));
        Mutable mutable = new Mutable("m");
        mutable.totals.put("x", 7L);
        Random random = new Random(11);
        for (byte[] valid : List.of(serializer.serialize(line), serializer.serialize(mutable))) {
            for (int i = 0; i < 5_000; i++) {
                byte[] mutated = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
                try {
                    serializer.deserialize(mutated);
                } catch (SerializationException expected) {
                    // the only failure allowed
                }
            }
        }
    }

    @Test
    void randomBytesEndAsSerializationExceptions() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            try {
                serializer.deserializeArgs(garbage);
            } catch (SerializationException expected) {
                // the only failure allowed
            }
            try {
                serializer.deserialize(garbage);
            } catch (SerializationException expected) {
                // the only failure allowed
            }
        }
    }

    @Test
    void failuresKeepTheirTypeWhenAllowedElseBecomeRemoteGrainExceptions() {
        Throwable declared = serializer.deserializeFailure(serializer.serializeFailure(new GrainFailure("bad input")));
        assertThat(declared).isInstanceOf(GrainFailure.class).hasMessage("bad input");
        Throwable builtIn = serializer.deserializeFailure(serializer.serializeFailure(new IllegalStateException("no")));
        assertThat(builtIn).isInstanceOf(IllegalStateException.class).hasMessage("no");
        Throwable inconsistent = serializer.deserializeFailure(
                serializer.serializeFailure(new InconsistentStateException("stale", "3", "2")));
        assertThat(inconsistent).isInstanceOf(InconsistentStateException.class).hasMessage("stale");
        assertThat(((InconsistentStateException) inconsistent).storedEtag()).isEqualTo("3");
        Throwable unknown = serializer.deserializeFailure(
                serializer.serializeFailure(new java.io.UncheckedIOException("disk", new java.io.IOException("disk"))));
        assertThat(unknown).isInstanceOf(RemoteGrainException.class).hasMessageContaining("UncheckedIOException: disk");
        Throwable relayed = serializer.deserializeFailure(serializer.serializeFailure(unknown));
        assertThat(relayed).isInstanceOf(RemoteGrainException.class).hasMessage(unknown.getMessage());
    }

    @Test
    void transportFailuresKeepWhetherTheCallRan() {
        // A gateway tells its client by the type whether a relayed call may be retried.
        Throwable notRun = serializer.deserializeFailure(serializer.serializeFailure(
                new CallNotDeliveredException("Silo s is shutting down; call was not run here")));
        assertThat(notRun)
                .isExactlyInstanceOf(CallNotDeliveredException.class)
                .hasMessage("Silo s is shutting down; call was not run here");
        Throwable mayHaveRun = serializer.deserializeFailure(
                serializer.serializeFailure(new SiloUnavailableException("The connection to silo s closed")));
        assertThat(mayHaveRun).isExactlyInstanceOf(SiloUnavailableException.class);
        Throwable unknown = serializer.deserializeFailure(
                serializer.serializeFailure(new CallOutcomeUnknownException("A.b may or may not have run")));
        assertThat(unknown)
                .isExactlyInstanceOf(CallOutcomeUnknownException.class)
                .hasMessage("A.b may or may not have run");
    }
}
