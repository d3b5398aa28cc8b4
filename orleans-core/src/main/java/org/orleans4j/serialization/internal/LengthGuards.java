package org.orleans4j.serialization.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Kryo's built-in serializers allocate what a length prefix claims before reading the elements, so
 * a forged prefix could make a frame of a few bytes allocate gigabytes. Every element takes at
 * least one byte, so a claimed length larger than the bytes left in the frame is refused first.
 */
final class LengthGuards {

    private LengthGuards() {}

    /** Wraps the serializer of every registered length-prefixed type (arrays, collections, maps). */
    static void guard(Kryo kryo, Class<?> type) {
        Registration registration = kryo.getRegistration(type);
        registration.setSerializer(
                new Guarded<>(registration.getSerializer(), type == Object[].class || type == String[].class));
    }

    static void requireAvailable(Input input, long claimed) {
        long available = input.limit() - input.position();
        if (claimed < 0 || claimed > available) {
            throw new KryoException(
                    "a length of " + claimed + " exceeds the " + available + " bytes left in the frame");
        }
    }

    /** Peeks at the varint length every guarded serializer starts with, then delegates. */
    private static final class Guarded<T> extends Serializer<T> {
        private final Serializer<T> delegate;
        /** Arrays of objects cost an object per element; arrays of primitives only their bytes. */
        private final boolean chargesElements;

        Guarded(Serializer<T> delegate, boolean chargesElements) {
            super(delegate.getAcceptsNull(), delegate.isImmutable());
            this.delegate = delegate;
            this.chargesElements = chargesElements;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            delegate.write(kryo, output, object);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            int start = input.position();
            int length = input.readVarInt(true);
            input.setPosition(start);
            // Arrays store length + 1 (0 is null); collections and maps store the length itself.
            requireAvailable(input, Math.max(0, length - 1));
            if (chargesElements) {
                ReadBudget.charge(kryo, Math.max(0, length - 1));
            }
            return delegate.read(kryo, input, type);
        }

        @Override
        public T copy(Kryo kryo, T original) {
            return delegate.copy(kryo, original);
        }
    }

    /** UTF-8 bytes behind a varint byte count (+1, 0 is null), checked against the frame before allocating. */
    static final class StringSerializer extends Serializer<String> {
        StringSerializer() {
            super(true, true);
        }

        @Override
        public void write(Kryo kryo, Output output, @Nullable String value) {
            writeString(output, value);
        }

        @Override
        public @Nullable String read(Kryo kryo, Input input, Class<? extends String> type) {
            return readString(input);
        }

        static void writeString(Output output, @Nullable String value) {
            if (value == null) {
                output.writeVarInt(0, true);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            output.writeVarInt(bytes.length + 1, true);
            output.writeBytes(bytes);
        }

        static @Nullable String readString(Input input) {
            int length = input.readVarInt(true);
            if (length == 0) {
                return null;
            }
            requireAvailable(input, length - 1L);
            return new String(input.readBytes(length - 1), StandardCharsets.UTF_8);
        }
    }
}
