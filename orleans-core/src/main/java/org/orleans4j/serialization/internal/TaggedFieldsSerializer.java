package org.orleans4j.serialization.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.StableHash;
import org.orleans4j.serialization.SerializationException;
import org.orleans4j.serialization.WireName;

/**
 * Writes an application record or class field by field, each under a tag derived from its name (or
 * its {@link WireName}), so that silos of different versions read each other's values: a field the
 * reader does not have is skipped, a field the writer did not have keeps its default (zero, false or
 * null for a record; what the no-argument constructor leaves, else zero, for a class), and fields may
 * be reordered.
 *
 * <p>Layout: the number of fields, then per field a 4-byte key (the tag's hash, its low 3 bits the
 * wire kind) and the value: a zig-zag varint for integral primitives, booleans and chars, 8 or 4 bytes
 * for a double or float, else a length-prefixed value written with its type. The kind and length let
 * a reader skip a value whose type it does not even know.
 */
final class TaggedFieldsSerializer<T> extends Serializer<T> {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_PREFIXED = 2;
    static final int FIXED32 = 5;
    private static final int KIND_MASK = 7;

    private final Class<T> type;
    private final TaggedField[] fields;
    private final @Nullable Constructor<T> canonical;

    /** A field as written: its key, and how to read it from and set it on an instance. */
    private record TaggedField(
            String name,
            int key,
            Class<?> type,
            @Nullable Field field,
            @Nullable Method accessor) {

        int kind() {
            return key & KIND_MASK;
        }

        @Nullable
        Object get(Object owner) throws ReflectiveOperationException {
            return accessor != null ? accessor.invoke(owner) : field.get(owner);
        }
    }

    private TaggedFieldsSerializer(Class<T> type, List<TaggedField> fields, @Nullable Constructor<T> canonical) {
        this.type = type;
        this.fields = fields.toArray(TaggedField[]::new);
        this.canonical = canonical;
    }

    /** Whether {@code type}'s fields can all be written: it is a record, or no superclass is a JDK class. */
    static boolean supports(Class<?> type) {
        if (type.isRecord()) {
            return true;
        }
        for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
            if (SerializationTypes.isJdk(k)) {
                return false;
            }
        }
        return !type.isInterface() && !type.isArray() && !type.isPrimitive();
    }

    /**
     * The serializer of {@code type}, a record or a class whose fields (its own and its superclasses', up
     * to the first JDK class) are written; static and transient fields are not.
     *
     * @throws IllegalStateException if two fields share a tag, or a superclass is a JDK class other than
     *     {@code Object}
     */
    static <T> TaggedFieldsSerializer<T> of(Class<T> type) {
        List<TaggedField> fields = new ArrayList<>();
        Constructor<T> canonical = null;
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameterTypes = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                parameterTypes[i] = component.getType();
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                WireName tag = component.getAnnotation(WireName.class);
                String name = tag != null ? tag.value() : component.getName();
                fields.add(new TaggedField(name, key(name, component.getType()), component.getType(), null, accessor));
            }
            try {
                canonical = type.getDeclaredConstructor(parameterTypes);
                canonical.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
            }
        } else {
            for (Class<?> k = type; k != Object.class; k = k.getSuperclass()) {
                if (SerializationTypes.isJdk(k)) {
                    throw new IllegalStateException(type.getName() + " extends " + k.getName()
                            + ", a JDK class whose fields cannot be written; hold the JDK value in a field instead");
                }
                for (Field field : k.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
                        continue;
                    }
                    field.setAccessible(true);
                    WireName tag = field.getAnnotation(WireName.class);
                    String name = tag != null ? tag.value() : field.getName();
                    fields.add(new TaggedField(name, key(name, field.getType()), field.getType(), field, null));
                }
            }
            fields.sort(Comparator.comparing(TaggedField::name));
        }
        Map<Integer, String> byKey = new HashMap<>();
        for (TaggedField field : fields) {
            String clash = byKey.putIfAbsent(field.key() & ~KIND_MASK, field.name());
            if (clash != null) {
                throw new IllegalStateException("Fields '" + clash + "' and '" + field.name() + "' of " + type.getName()
                        + " have the same wire tag; give one of them another with @WireName");
            }
        }
        return new TaggedFieldsSerializer<>(type, fields, canonical);
    }

    private static int key(String name, Class<?> type) {
        return (StableHash.hash(name) & ~KIND_MASK) | kindOf(type);
    }

    private static int kindOf(Class<?> type) {
        if (type == double.class) {
            return FIXED64;
        }
        if (type == float.class) {
            return FIXED32;
        }
        return type.isPrimitive() ? VARINT : LENGTH_PREFIXED;
    }

    @Override
    public void write(Kryo kryo, Output output, T object) {
        output.writeVarInt(fields.length, true);
        for (TaggedField field : fields) {
            Object value;
            try {
                value = field.get(object);
            } catch (ReflectiveOperationException e) {
                throw new SerializationException(
                        "Could not read field '" + field.name() + "' of " + type.getName() + ": " + e, e);
            }
            output.writeInt(field.key());
            switch (field.kind()) {
                case VARINT -> output.writeVarLong(toLong(field.type(), value), false);
                case FIXED64 -> output.writeDouble((Double) value);
                case FIXED32 -> output.writeFloat((Float) value);
                default -> writePrefixed(kryo, output, value);
            }
        }
    }

    private static long toLong(Class<?> type, @Nullable Object value) {
        if (type == boolean.class) {
            return Boolean.TRUE.equals(value) ? 1 : 0;
        }
        if (type == char.class) {
            return (Character) value;
        }
        return ((Number) value).longValue();
    }

    /**
     * The value with its type, after its length. One byte is kept for the length; a value of 128 bytes or
     * more is moved up by the extra bytes its length takes.
     */
    private static void writePrefixed(Kryo kryo, Output output, @Nullable Object value) {
        int start = output.position();
        output.writeByte(0);
        kryo.writeClassAndObject(output, value);
        int end = output.position();
        int length = end - start - 1;
        if (length < 0x80) {
            output.getBuffer()[start] = (byte) length;
            return;
        }
        int extra = varIntSize(length) - 1;
        for (int i = 0; i < extra; i++) {
            output.writeByte(0); // grows the buffer, within its bound, before the move
        }
        byte[] buffer = output.getBuffer();
        System.arraycopy(buffer, start + 1, buffer, start + 1 + extra, length);
        output.setPosition(start);
        output.writeVarInt(length, true);
        output.setPosition(end + extra);
    }

    private static int varIntSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> actual) {
        int count = input.readVarInt(true);
        if (count < 0) {
            throw new SerializationException("field count of " + type.getName() + " is out of range");
        }
        @Nullable Object[] values = new Object[fields.length];
        boolean[] present = new boolean[fields.length];
        for (int i = 0; i < count; i++) {
            int key = input.readInt();
            int index = indexOf(key, i);
            if (index < 0) {
                skip(input, key);
                continue;
            }
            TaggedField field = fields[index];
            if (field.key() != key) {
                throw new SerializationException("Field '" + field.name() + "' of " + type.getName()
                        + " arrived as another kind of value (" + kindName(key & KIND_MASK) + ", here "
                        + kindName(field.kind()) + "): a field's type may not change between versions");
            }
            values[index] = readValue(kryo, input, field);
            present[index] = true;
        }
        return canonical != null ? construct(values) : populate(kryo, values, present);
    }

    /** The index of the field with {@code key}'s tag (any kind), trying the writer's position first. */
    private int indexOf(int key, int position) {
        int tag = key & ~KIND_MASK;
        if (position < fields.length && (fields[position].key() & ~KIND_MASK) == tag) {
            return position;
        }
        for (int i = 0; i < fields.length; i++) {
            if ((fields[i].key() & ~KIND_MASK) == tag) {
                return i;
            }
        }
        return -1;
    }

    private static @Nullable Object readValue(Kryo kryo, Input input, TaggedField field) {
        switch (field.kind()) {
            case VARINT:
                return fromLong(field, input.readVarLong(false));
            case FIXED64:
                return input.readDouble();
            case FIXED32:
                return input.readFloat();
            default:
                int length = readLength(input);
                int before = input.position();
                Object value = kryo.readClassAndObject(input);
                if (input.position() - before != length) {
                    throw new SerializationException("field '" + field.name() + "' is " + length
                            + " bytes long, but its value took " + (input.position() - before));
                }
                if (value != null && !field.type().isInstance(value)) {
                    throw new SerializationException(
                            "Field '" + field.name() + "' is a " + field.type().getName() + " here, but a "
                                    + value.getClass().getName() + " arrived");
                }
                return value;
        }
    }

    private static Object fromLong(TaggedField field, long value) {
        Class<?> type = field.type();
        if (type == long.class) {
            return value;
        }
        if (type == boolean.class) {
            return value != 0;
        }
        long min;
        long max;
        if (type == int.class) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (type == short.class) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (type == byte.class) {
            min = Byte.MIN_VALUE;
            max = Byte.MAX_VALUE;
        } else {
            min = Character.MIN_VALUE;
            max = Character.MAX_VALUE;
        }
        if (value < min || value > max) {
            throw new SerializationException("Field '" + field.name() + "' is a " + type + " here, but " + value
                    + " arrived, which does not fit");
        }
        if (type == int.class) {
            return (int) value;
        }
        if (type == short.class) {
            return (short) value;
        }
        if (type == byte.class) {
            return (byte) value;
        }
        return (char) value;
    }

    /** Skips a field this version does not have, by its kind: its value is never read as an object. */
    private static void skip(Input input, int key) {
        switch (key & KIND_MASK) {
            case VARINT -> input.readVarLong(false);
            case FIXED64 -> input.skip(8);
            case FIXED32 -> input.skip(4);
            case LENGTH_PREFIXED -> input.skip(readLength(input));
            default -> throw new SerializationException("unknown field kind " + (key & KIND_MASK));
        }
    }

    private static int readLength(Input input) {
        int length = input.readVarInt(true);
        if (length < 0 || length > input.limit() - input.position()) {
            throw new SerializationException("field length " + length + " runs past the value");
        }
        return length;
    }

    private static String kindName(int kind) {
        return switch (kind) {
            case VARINT -> "an integral number, boolean or char";
            case FIXED64 -> "a double";
            case FIXED32 -> "a float";
            case LENGTH_PREFIXED -> "an object";
            default -> "kind " + kind;
        };
    }

    /** A record from its canonical constructor; components that did not arrive get their type's default. */
    private T construct(@Nullable Object[] values) {
        for (int i = 0; i < fields.length; i++) {
            if (values[i] == null && fields[i].type().isPrimitive()) {
                values[i] = defaultOf(fields[i].type());
            }
        }
        try {
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SerializationException(
                    "Could not construct " + type.getName() + " from the fields that arrived: " + cause, cause);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new SerializationException("Could not construct " + type.getName() + ": " + e, e);
        }
    }

    /** A class from the kryo's instantiator (its no-argument constructor if it has one), then its fields. */
    private T populate(Kryo kryo, @Nullable Object[] values, boolean[] present) {
        T object = kryo.newInstance(type);
        for (int i = 0; i < fields.length; i++) {
            if (present[i]) {
                try {
                    fields[i].field().set(object, values[i]);
                } catch (ReflectiveOperationException | IllegalArgumentException e) {
                    throw new SerializationException(
                            "Could not set field '" + fields[i].name() + "' of " + type.getName() + ": " + e, e);
                }
            }
        }
        return object;
    }

    private static Object defaultOf(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        if (primitive == char.class) {
            return (char) 0;
        }
        if (primitive == double.class) {
            return 0d;
        }
        if (primitive == float.class) {
            return 0f;
        }
        if (primitive == long.class) {
            return 0L;
        }
        if (primitive == int.class) {
            return 0;
        }
        return primitive == short.class ? (Object) (short) 0 : (Object) (byte) 0;
    }
}
