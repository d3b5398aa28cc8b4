package org.orleans4j.spring.jdbc;

import java.util.Set;
import java.util.function.Supplier;
import org.orleans4j.grain.Grain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainIdentity;
import org.orleans4j.grain.GrainWithLongKey;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.GrainWithUuidKey;
import org.orleans4j.grain.KeyKind;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleDeserializers;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.module.SimpleSerializers;

/**
 * Grain references in stored state: a field of a grain interface type is written as the grain's id
 * ({@code {"type":"entry","key":"apple","keyKind":"STRING"}}) and read back as a reference of this silo's
 * grain factory, which calls the grain wherever it is active then. Without it Jackson would treat a
 * reference as a bean and call its methods.
 */
final class GrainReferenceJsonModule extends SimpleModule {

    private static final Set<Class<?>> MARKERS =
            Set.of(Grain.class, GrainWithStringKey.class, GrainWithLongKey.class, GrainWithUuidKey.class);

    GrainReferenceJsonModule(Supplier<GrainFactory> grains) {
        super("orleans-grain-references");
        setSerializers(new SimpleSerializers() {
            @Override
            public ValueSerializer<?> findSerializer(
                    SerializationConfig config,
                    JavaType type,
                    BeanDescription.Supplier description,
                    com.fasterxml.jackson.annotation.JsonFormat.Value format) {
                return GrainIdentity.isReferenceClass(type.getRawClass())
                        ? new ReferenceSerializer()
                        : super.findSerializer(config, type, description, format);
            }
        });
        setDeserializers(new SimpleDeserializers() {
            @Override
            public ValueDeserializer<?> findBeanDeserializer(
                    JavaType type, DeserializationConfig config, BeanDescription.Supplier description) {
                Class<?> raw = type.getRawClass();
                return raw.isInterface() && Grain.class.isAssignableFrom(raw) && !MARKERS.contains(raw)
                        ? new ReferenceDeserializer(raw, grains)
                        : super.findBeanDeserializer(type, config, description);
            }

            @Override
            public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
                return (valueType.isInterface() && Grain.class.isAssignableFrom(valueType))
                        || super.hasDeserializerFor(config, valueType);
            }
        });
    }

    private static final class ReferenceSerializer extends ValueSerializer<Object> {
        @Override
        public void serialize(Object reference, JsonGenerator generator, SerializationContext context) {
            GrainId id = GrainIdentity.of(reference).grainId();
            generator.writeStartObject();
            generator.writeStringProperty("type", id.type());
            generator.writeStringProperty("key", id.key());
            generator.writeStringProperty("keyKind", id.keyKind().name());
            generator.writeEndObject();
        }
    }

    private static final class ReferenceDeserializer extends ValueDeserializer<Object> {
        private final Class<?> grainInterface;
        private final Supplier<GrainFactory> grains;

        ReferenceDeserializer(Class<?> grainInterface, Supplier<GrainFactory> grains) {
            this.grainInterface = grainInterface;
            this.grains = grains;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            JsonNode node = context.readTree(parser);
            JsonNode type = node.get("type");
            JsonNode key = node.get("key");
            JsonNode kind = node.get("keyKind");
            if (type == null || key == null || kind == null) {
                return context.reportInputMismatch(
                        grainInterface,
                        "a stored reference to a %s needs type, key and keyKind, was %s",
                        grainInterface.getName(),
                        node);
            }
            GrainId id = GrainId.of(type.asString(), key.asString(), KeyKind.valueOf(kind.asString()));
            return grains.get().getGrain((Class) grainInterface, id);
        }
    }
}
