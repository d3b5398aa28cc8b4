package org.orleans4j.serialization.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Collections and maps as a size followed by their elements, each with its type. Kryo's own
 * serializers size the collection from the prefix before reading; these check the prefix against
 * the bytes left in the frame first (see {@link LengthGuards}), and charge them to the message's
 * {@link ReadBudget}. Sorted collections are read back with their natural order. Hash-based ones are
 * read into an array first and refused when their elements' hash codes collide more than ordinary
 * data ever does: inserting crafted colliding keys costs quadratic time (immutable sets and maps
 * probe linearly; a hash map degrades to lists for keys that are not {@link Comparable}).
 */
final class SizedSerializers {

    private SizedSerializers() {}

    /**
     * Fails when more than an eighth of {@code elements} (plus a few) share a hash code with another:
     * real data hardly ever does; a payload crafted to make inserting it quadratic does.
     */
    static void requireFewCollisions(Object[] elements, int size) {
        if (size < 64) {
            return;
        }
        int[] hashes = new int[size];
        for (int i = 0; i < size; i++) {
            hashes[i] = elements[i] == null ? 0 : elements[i].hashCode();
        }
        Arrays.sort(hashes);
        int repeated = 0;
        for (int i = 1; i < size; i++) {
            if (hashes[i] == hashes[i - 1]) {
                repeated++;
            }
        }
        if (repeated > size / 8 + 16) {
            throw new KryoException(repeated + " of " + size + " elements of a hash-based collection share hash codes;"
                    + " refused (crafted collisions would make reading it quadratic)");
        }
    }

    static final class CollectionSerializer<C extends Collection<Object>> extends Serializer<Collection<Object>> {
        private final IntFunction<C> factory;
        private final Function<C, Collection<Object>> finisher;
        private final boolean hashed;

        CollectionSerializer(IntFunction<C> factory, Function<C, Collection<Object>> finisher) {
            this(factory, finisher, false);
        }

        CollectionSerializer(IntFunction<C> factory, Function<C, Collection<Object>> finisher, boolean hashed) {
            this.factory = factory;
            this.finisher = finisher;
            this.hashed = hashed;
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
            ReadBudget.charge(kryo, size);
            C collection = factory.apply(size);
            if (!hashed) {
                for (int i = 0; i < size; i++) {
                    collection.add(kryo.readClassAndObject(input));
                }
                return finisher.apply(collection);
            }
            Object[] elements = new Object[size];
            for (int i = 0; i < size; i++) {
                elements[i] = kryo.readClassAndObject(input);
            }
            requireFewCollisions(elements, size);
            Collections.addAll(collection, elements);
            return finisher.apply(collection);
        }
    }

    static final class MapSerializer<M extends Map<Object, Object>> extends Serializer<Map<Object, Object>> {
        private final IntFunction<M> factory;
        private final Function<M, Map<Object, Object>> finisher;
        private final boolean hashed;

        MapSerializer(IntFunction<M> factory, Function<M, Map<Object, Object>> finisher) {
            this(factory, finisher, true);
        }

        MapSerializer(IntFunction<M> factory, Function<M, Map<Object, Object>> finisher, boolean hashed) {
            this.factory = factory;
            this.finisher = finisher;
            this.hashed = hashed;
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
            ReadBudget.charge(kryo, size * 2L);
            Object[] keys = new Object[size];
            Object[] values = new Object[size];
            for (int i = 0; i < size; i++) {
                keys[i] = kryo.readClassAndObject(input);
                values[i] = kryo.readClassAndObject(input);
            }
            if (hashed) {
                requireFewCollisions(keys, size);
            }
            M map = factory.apply(size);
            for (int i = 0; i < size; i++) {
                map.put(keys[i], values[i]);
            }
            return finisher.apply(map);
        }
    }
}
