package org.orleans4j.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Collections and maps as a size followed by their elements, each with its type. Kryo's own
 * serializers size the collection from the prefix before reading; these check the prefix against
 * the bytes left in the frame first (see {@link LengthGuards}). Sorted collections are read back
 * with their natural order.
 */
final class SizedSerializers {

    private SizedSerializers() {
    }

    static final class CollectionSerializer<C extends Collection<Object>> extends Serializer<Collection<Object>> {
        private final IntFunction<C> factory;
        private final Function<C, Collection<Object>> finisher;

        CollectionSerializer(IntFunction<C> factory, Function<C, Collection<Object>> finisher) {
            this.factory = factory;
            this.finisher = finisher;
        }

        @Override
        public void write(Kryo kryo, Output output, Collection<Object> collection) {
            output.writeVarInt(collection.size(), true);
            for (Object element : collection) {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
            int size = input.readVarInt(true);
            LengthGuards.requireAvailable(input, size);
            C collection = factory.apply(size);
            for (int i = 0; i < size; i++) {
                collection.add(kryo.readClassAndObject(input));
            }
            return finisher.apply(collection);
        }
    }

    static final class MapSerializer<M extends Map<Object, Object>> extends Serializer<Map<Object, Object>> {
        private final IntFunction<M> factory;
        private final Function<M, Map<Object, Object>> finisher;

        MapSerializer(IntFunction<M> factory, Function<M, Map<Object, Object>> finisher) {
            this.factory = factory;
            this.finisher = finisher;
        }

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            output.writeVarInt(map.size(), true);
            for (Map.Entry<Object, Object> entry : map.entrySet()) {
                kryo.writeClassAndObject(output, entry.getKey());
                kryo.writeClassAndObject(output, entry.getValue());
            }
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            int size = input.readVarInt(true);
            LengthGuards.requireAvailable(input, size * 2L);
            M map = factory.apply(size);
            for (int i = 0; i < size; i++) {
                map.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
            }
            return finisher.apply(map);
        }
    }
}
