package org.orleans4j.serialization.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.orleans4j.serialization.SerializationException;
import org.orleans4j.serialization.WireDefault;
import org.orleans4j.serialization.WireName;

/**
 * An application enum constant by its name (or {@link WireName}), not its ordinal: constants may be
 * added or reordered between versions. A name this version does not have is read as the constant
 * marked {@link WireDefault}, or fails naming the enum and the constant.
 */
final class EnumByNameSerializer<E extends Enum<E>> extends Serializer<E> {

    private final Class<E> type;
    private final String[] names;
    private final Map<String, E> byName = new HashMap<>();
    private final @Nullable E fallback;

    private EnumByNameSerializer(Class<E> type) {
        this.type = type;
        setImmutable(true);
        E[] constants = type.getEnumConstants();
        names = new String[constants.length];
        E marked = null;
        for (E constant : constants) {
            Field field;
            try {
                field = type.getField(constant.name());
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("enum constant " + constant + " has no field", e);
            }
            WireName tag = field.getAnnotation(WireName.class);
            String name = tag != null ? tag.value() : constant.name();
            names[constant.ordinal()] = name;
            if (byName.putIfAbsent(name, constant) != null) {
                throw new IllegalStateException(
                        "Two constants of " + type.getName() + " go by the wire name '" + name + "'");
            }
            if (field.isAnnotationPresent(WireDefault.class)) {
                if (marked != null) {
                    throw new IllegalStateException(
                            "Only one constant of " + type.getName() + " may be marked @WireDefault");
                }
                marked = constant;
            }
        }
        this.fallback = marked;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Serializer<?> of(Class<?> type) {
        return new EnumByNameSerializer(type);
    }

    @Override
    public void write(Kryo kryo, Output output, E constant) {
        LengthGuards.StringSerializer.writeString(output, names[constant.ordinal()]);
    }

    @Override
    public E read(Kryo kryo, Input input, Class<? extends E> actual) {
        String name = LengthGuards.StringSerializer.readString(input);
        E constant = byName.get(name);
        if (constant != null) {
            return constant;
        }
        if (fallback != null) {
            return fallback;
        }
        throw new SerializationException("Enum " + type.getName() + " has no constant '" + name
                + "' (sent by another version?); mark the constant that stands in for unknown ones with @WireDefault");
    }
}
