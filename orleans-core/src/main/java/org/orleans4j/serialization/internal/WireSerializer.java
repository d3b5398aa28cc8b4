package org.orleans4j.serialization.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.TimeSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.CodeSource;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.objenesis.strategy.StdInstantiatorStrategy;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainIdentity;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.serialization.SerializationException;

/**
 * Writes grain call arguments, results and failures with Kryo, registration required: only the
 * built-in JDK value types below, the runtime's own types and the application types of
 * {@link SerializationTypes} can be read, so bytes from the network never name an arbitrary class.
 * Zoned date-times, URIs and locales are left out: Kryo reads their text without bounding it.
 * Built-ins get sequential ids in a fixed order; application types get an id derived from their
 * name, so silos whose grain sets differ still agree on the ids of the types they share.
 * References are not tracked: values are trees (a cycle fails to serialize). Application records and
 * classes are written by field tag ({@link TaggedFieldsSerializer}) and enums by constant name, so that
 * silos of two builds read each other's values during a rolling upgrade.
 */
public final class WireSerializer {

    private static final int APPLICATION_ID_BASE = 1 << 16;
    private static final List<Class<?>> BUILT_IN = List.of(
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            Character.class,
            Boolean.class,
            Float.class,
            Double.class,
            byte[].class,
            int[].class,
            long[].class,
            short[].class,
            char[].class,
            boolean[].class,
            float[].class,
            double[].class,
            String[].class,
            Object[].class,
            Collections.emptyList().getClass(),
            Collections.emptyMap().getClass(),
            Collections.emptySet().getClass(),
            Collections.singletonList(0).getClass(),
            Collections.singleton(0).getClass(),
            Collections.singletonMap(0, 0).getClass(),
            UUID.class,
            BigDecimal.class,
            BigInteger.class,
            Instant.class,
            Duration.class,
            LocalDate.class,
            LocalTime.class,
            LocalDateTime.class,
            OffsetDateTime.class,
            Period.class,
            KeyKind.class,
            SiloStatus.class,
            WireFailure.class);

    /** Array types whose serializers allocate by a length prefix. */
    private static final List<Class<?>> GUARDED_ARRAYS = List.of(
            byte[].class,
            int[].class,
            long[].class,
            short[].class,
            char[].class,
            boolean[].class,
            float[].class,
            double[].class,
            String[].class,
            Object[].class,
            BigInteger.class,
            BigDecimal.class);

    private final List<Class<?>> applicationTypes;
    private final List<Class<?>> grainInterfaces;
    private final Set<String> applicationPackages;
    private final ClassLoader applicationLoader;
    /** Application exception types found by name: only names that resolved are kept, so it stays small. */
    private final Map<String, Constructor<? extends Throwable>> applicationExceptions = new ConcurrentHashMap<>();
    /** Where failures raised here were thrown, for their receivers: this silo's address, or a client's. */
    private volatile @Nullable String origin;
    /** Makes the references that arrive; bound once the process's grain factory exists. */
    private volatile @Nullable GrainFactory grains;

    private final Map<String, Constructor<? extends Throwable>> exceptionConstructors;
    private final int maxBytes;
    private final int maxDepth;
    private final int maxElements;
    private final ThreadLocal<Codec> codecs = ThreadLocal.withInitial(this::newCodec);

    /** A Kryo with its buffers, confined to one thread. */
    private record Codec(Kryo kryo, Output output, Input input) {}

    public WireSerializer(SerializationTypes types, int maxBytes) {
        this(types, maxBytes, MessagingOptions.DEFAULT_MAX_OBJECT_DEPTH, MessagingOptions.DEFAULT_MAX_ELEMENTS);
    }

    /**
     * @param maxBytes largest serialized value
     * @param maxDepth deepest nesting of objects read (deeper input fails instead of exhausting the stack)
     * @param maxElements collection, map and object-array elements one read may hold, all together
     */
    public WireSerializer(SerializationTypes types, int maxBytes, int maxDepth, int maxElements) {
        this.applicationTypes = List.copyOf(types.concreteTypes());
        this.grainInterfaces = List.copyOf(types.grainInterfaces());
        this.applicationPackages = types.applicationPackages();
        this.applicationLoader = types.applicationLoader();
        this.exceptionConstructors = WireFailure.constructors(types.exceptionTypes());
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.maxElements = maxElements;
        newCodec(); // fails now, not at the first call, if two application types share an id
    }

    private Codec newCodec() {
        Kryo kryo = new Kryo(new ApplicationTypes(), null);
        // Unregistered types are written by name, and only the application's own pass (ApplicationTypes).
        kryo.setRegistrationRequired(false);
        kryo.setClassLoader(applicationLoader);
        kryo.setMaxDepth(maxDepth);
        ReadBudget.install(kryo, maxElements);
        kryo.setReferences(false);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // Not default serializers in Kryo 5; without these, field access into java.base would be tried.
        TimeSerializers.addDefaultSerializers(kryo);
        kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
        kryo.register(String.class, new LengthGuards.StringSerializer());
        for (Class<?> type : BUILT_IN) {
            kryo.register(type);
        }
        for (Class<?> type : GUARDED_ARRAYS) {
            LengthGuards.guard(kryo, type);
        }
        // Failures cross between versions too: a field added to them later is skipped by older silos.
        kryo.getRegistration(WireFailure.class).setSerializer(TaggedFieldsSerializer.of(WireFailure.class));
        registerCollections(kryo);
        kryo.register(GrainId.class, new GrainIdSerializer());
        kryo.register(SiloAddress.class, new SiloAddressSerializer());
        kryo.register(GrainAddress.class);
        Map<Integer, Class<?>> ids = new HashMap<>();
        for (Class<?> type : applicationTypes) {
            int id = APPLICATION_ID_BASE + (org.orleans4j.grain.StableHash.hash(type.getName()) & 0x3fffffff);
            Class<?> clash = ids.putIfAbsent(id, type);
            if (clash != null) {
                throw new IllegalStateException("Types " + clash.getName() + " and " + type.getName()
                        + " hash to the same wire id; rename one of them");
            }
            kryo.register(type, serializerFor(kryo, type), id);
        }
        for (Class<?> grainInterface : grainInterfaces) {
            // A reference is a proxy of its interface; the proxy class is the same for every reference of it.
            Class<?> referenceClass = Proxy.newProxyInstance(
                            grainInterface.getClassLoader(), new Class<?>[] {grainInterface}, (proxy, method, args) -> {
                                throw new UnsupportedOperationException();
                            })
                    .getClass();
            int id = APPLICATION_ID_BASE
                    + (org.orleans4j.grain.StableHash.hash("grain reference " + grainInterface.getName()) & 0x3fffffff);
            Class<?> clash = ids.putIfAbsent(id, grainInterface);
            if (clash != null) {
                throw new IllegalStateException("Types " + clash.getName() + " and references of "
                        + grainInterface.getName() + " hash to the same wire id; rename one of them");
            }
            kryo.register(referenceClass, new GrainReferenceSerializer(grainInterface), id);
        }
        return new Codec(kryo, new Output(256, maxBytes), new Input());
    }

    /**
     * How an application type is written: records and classes by tagged fields, enums by constant name,
     * so that silos of different versions read each other's values; arrays as Kryo writes them.
     */
    private static Serializer<?> serializerFor(Kryo kryo, Class<?> type) {
        if (type.isArray()) {
            return kryo.getDefaultSerializer(type);
        }
        if (type.isEnum()) {
            return EnumByNameSerializer.of(type);
        }
        if (!TaggedFieldsSerializer.supports(type)) {
            return kryo.getDefaultSerializer(type); // a subclass of a JDK class: as before, not version tolerant
        }
        return TaggedFieldsSerializer.of(type);
    }

    /**
     * Grain references that arrive are made by {@code factory}: a reference crosses the wire as its grain
     * id and becomes a working reference of the receiving process.
     */
    public void bindGrainFactory(GrainFactory factory) {
        this.grains = factory;
    }

    /** A grain reference as its grain id; read back as a reference of this process's grain factory. */
    private final class GrainReferenceSerializer extends Serializer<Object> {
        private final Class<?> grainInterface;

        GrainReferenceSerializer(Class<?> grainInterface) {
            this.grainInterface = grainInterface;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Object reference) {
            GrainIdentity identity = GrainIdentity.of(reference);
            if (identity == null) {
                throw new SerializationException("a proxy of " + grainInterface.getName()
                        + " that is not a grain reference cannot be sent; pass references from a GrainFactory");
            }
            kryo.writeObject(output, identity.grainId());
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object read(Kryo kryo, Input input, Class<?> type) {
            GrainId id = kryo.readObject(input, GrainId.class);
            GrainFactory factory = grains;
            if (factory == null) {
                throw new SerializationException(
                        "a reference to grain " + id + " arrived, but this process makes no " + "grain references");
            }
            return factory.getGrain((Class) grainInterface, id);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void registerCollections(Kryo kryo) {
        Function<Collection<Object>, Collection<Object>> same = c -> c;
        Function<Map<Object, Object>, Map<Object, Object>> sameMap = m -> m;
        kryo.register(ArrayList.class, new SizedSerializers.CollectionSerializer<>(ArrayList::new, (Function) same));
        kryo.register(LinkedList.class, new SizedSerializers.CollectionSerializer<>(n -> new LinkedList<>(), (Function)
                same));
        kryo.register(ArrayDeque.class, new SizedSerializers.CollectionSerializer<>(ArrayDeque::new, (Function) same));
        kryo.register(
                HashSet.class, new SizedSerializers.CollectionSerializer<>(HashSet::newHashSet, (Function) same, true));
        kryo.register(
                LinkedHashSet.class,
                new SizedSerializers.CollectionSerializer<>(LinkedHashSet::newLinkedHashSet, (Function) same, true));
        kryo.register(
                Arrays.asList(0).getClass(), new SizedSerializers.CollectionSerializer<>(ArrayList::new, (Function)
                        (Function<ArrayList<Object>, Collection<Object>>) l -> Arrays.asList(l.toArray())));
        kryo.register(
                TreeSet.class, new SizedSerializers.CollectionSerializer<>(n -> new TreeSet<>(), (Function) same));
        SizedSerializers.CollectionSerializer<ArrayList<Object>> immutableList =
                new SizedSerializers.CollectionSerializer<>(ArrayList::new, List::copyOf);
        SizedSerializers.CollectionSerializer<ArrayList<Object>> immutableSet =
                new SizedSerializers.CollectionSerializer<>(ArrayList::new, Set::copyOf, true);
        for (Class<?> type : List.of(
                List.of().getClass(), List.of(1).getClass(), List.of(1, 2, 3).getClass())) {
            kryo.register(type, (com.esotericsoftware.kryo.Serializer) immutableList);
        }
        for (Class<?> type : List.of(
                Set.of().getClass(), Set.of(1).getClass(), Set.of(1, 2, 3).getClass())) {
            kryo.register(type, (com.esotericsoftware.kryo.Serializer) immutableSet);
        }
        kryo.register(HashMap.class, new SizedSerializers.MapSerializer<>(HashMap::newHashMap, (Function) sameMap));
        kryo.register(
                LinkedHashMap.class,
                new SizedSerializers.MapSerializer<>(LinkedHashMap::newLinkedHashMap, (Function) sameMap));
        kryo.register(
                TreeMap.class, new SizedSerializers.MapSerializer<>(n -> new TreeMap<>(), (Function) sameMap, false));
        kryo.register(ConcurrentHashMap.class, new SizedSerializers.MapSerializer<>(ConcurrentHashMap::new, (Function)
                sameMap));
        SizedSerializers.MapSerializer<HashMap<Object, Object>> immutableMap =
                new SizedSerializers.MapSerializer<>(HashMap::newHashMap, Map::copyOf);
        for (Class<?> type : List.of(
                Map.of().getClass(), Map.of(1, 1).getClass(), Map.of(1, 1, 2, 2).getClass())) {
            kryo.register(type, (com.esotericsoftware.kryo.Serializer) immutableMap);
        }
    }

    /** Writes with this thread's Kryo into its reused buffer. */
    @FunctionalInterface
    private interface Writer {
        void write(Kryo kryo, Output out);
    }

    /** Reads with this thread's Kryo. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(Kryo kryo, Input in);
    }

    private byte[] write(Writer writer) {
        Codec codec = codecs.get();
        Output out = codec.output();
        out.reset();
        try {
            writer.write(codec.kryo(), out);
            return out.toBytes();
        } catch (KryoException | IllegalArgumentException e) {
            throw writeFailure(e);
        }
    }

    /** Reads all of {@code body}; trailing bytes are an error. */
    private <T> T read(byte[] body, Reader<T> reader) {
        Codec codec = codecs.get();
        Input in = codec.input();
        in.setBuffer(body);
        ReadBudget.reset(codec.kryo());
        try {
            T value = reader.read(codec.kryo(), in);
            if (in.position() != body.length) {
                throw new SerializationException((body.length - in.position()) + " trailing bytes after the value");
            }
            return value;
        } catch (RuntimeException e) {
            // Bytes from the network: any failure of a constructor or factory they reach is a bad frame.
            throw readFailure(e);
        } catch (StackOverflowError e) {
            // Kryo's depth limit stops nesting long before; this is the last line, for custom serializers.
            throw new SerializationException("Could not read a grain call value: nested too deeply");
        } finally {
            in.setBuffer(EMPTY);
        }
    }

    private static void writeArgs(Kryo kryo, Output out, @Nullable Object @Nullable [] args) {
        int count = args == null ? 0 : args.length;
        out.writeVarInt(count, true);
        for (int i = 0; i < count; i++) {
            kryo.writeClassAndObject(out, args[i]);
        }
    }

    private static @Nullable Object[] readArgs(Kryo kryo, Input in) {
        int count = in.readVarInt(true);
        if (count < 0 || count > 255) {
            throw new SerializationException("argument count " + count + " is out of range");
        }
        @Nullable Object[] args = new Object[count];
        for (int i = 0; i < count; i++) {
            args[i] = kryo.readClassAndObject(in);
        }
        return args;
    }

    /** Arguments of a call: their count, then each with its type. */
    public byte[] serializeArgs(@Nullable Object @Nullable [] args) {
        return write((kryo, out) -> writeArgs(kryo, out, args));
    }

    public @Nullable Object[] deserializeArgs(byte[] body) {
        return read(body, WireSerializer::readArgs);
    }

    /** A call's arguments and request context, as read back by {@link #deserializeCall}. */
    public record CallBody(
            @Nullable Object[] args, @Nullable Map<String, Object> requestContext) {}

    /** Arguments, then the caller's request context (or null). */
    public byte[] serializeCall(@Nullable Object @Nullable [] args, @Nullable Map<String, Object> requestContext) {
        return write((kryo, out) -> {
            writeArgs(kryo, out, args);
            kryo.writeClassAndObject(out, requestContext);
        });
    }

    @SuppressWarnings("unchecked")
    public CallBody deserializeCall(byte[] body) {
        return read(body, (kryo, in) -> {
            @Nullable Object[] args = readArgs(kryo, in);
            Object context = kryo.readClassAndObject(in);
            if (context != null && !(context instanceof Map)) {
                throw new SerializationException(
                        "request context is a " + context.getClass().getName() + ", not a map");
            }
            return new CallBody(args, (Map<String, Object>) context);
        });
    }

    public byte[] serialize(@Nullable Object value) {
        return write((kryo, out) -> kryo.writeClassAndObject(out, value));
    }

    public @Nullable Object deserialize(byte[] body) {
        return read(body, Kryo::readClassAndObject);
    }

    public byte[] serializeFailure(Throwable failure) {
        return serialize(WireFailure.of(failure, origin));
    }

    /** Failures serialized here say they were thrown at {@code origin} (this silo's address, say). */
    public void bindOrigin(String origin) {
        this.origin = origin;
    }

    /** The failure a response carries, recreated as an allowed type. */
    public Throwable deserializeFailure(byte[] body) {
        Object value = deserialize(body);
        if (!(value instanceof WireFailure failure)) {
            throw new SerializationException("a failed response carried "
                    + (value == null ? "null" : value.getClass().getName()) + " instead of a failure");
        }
        return failure.toThrowable(exceptionConstructors, this::applicationException);
    }

    private static final byte[] EMPTY = new byte[0];

    /** The runtime's own classes: never an application type, whatever package a test puts its grains in. */
    private static final @Nullable CodeSource RUNTIME =
            WireSerializer.class.getProtectionDomain().getCodeSource();

    /**
     * Whether {@code className} names a type of the application's packages: those of its grain interfaces
     * and allowed types, and (outside the runtime's own {@code org.orleans4j}) their subpackages.
     */
    boolean isApplicationName(String className) {
        int dot = className.lastIndexOf('.');
        if (dot <= 0 || className.indexOf('[') >= 0) {
            return false;
        }
        String pkg = className.substring(0, dot);
        for (String app : applicationPackages) {
            if (pkg.equals(app) || (pkg.startsWith(app + ".") && !app.startsWith("org.orleans4j"))) {
                return !isJdkName(className);
            }
        }
        return false;
    }

    private static boolean isJdkName(String name) {
        return name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("com.sun.");
    }

    /** Whether {@code type} is an application type that may cross the wire unlisted. */
    private boolean isApplicationClass(Class<?> type) {
        if (type.isInterface() || type.isArray() || type.isPrimitive() || !isApplicationName(type.getName())) {
            return false;
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return RUNTIME == null
                || source == null
                || !java.util.Objects.equals(RUNTIME.getLocation(), source.getLocation());
    }

    /** The {@code (String)} constructor of the application exception {@code type}, or {@code null}. */
    private @Nullable Constructor<? extends Throwable> applicationException(String type) {
        Constructor<? extends Throwable> known = applicationExceptions.get(type);
        if (known != null || !isApplicationName(type)) {
            return known;
        }
        try {
            // Not initialized: a name from the network runs no static initializer unless it is an exception here.
            Class<?> found = Class.forName(type, false, applicationLoader);
            if (!Throwable.class.isAssignableFrom(found) || !isApplicationClass(found)) {
                return null;
            }
            Constructor<? extends Throwable> constructor =
                    found.asSubclass(Throwable.class).getConstructor(String.class);
            applicationExceptions.put(type, constructor);
            return constructor;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The message of a type that may not cross the wire: what to do about it. */
    static String unlisted(String type) {
        return "Type " + type + " may not cross the wire: it is neither a built-in value type, nor reachable from "
                + "a grain interface signature, nor in the package of a grain interface. Allow it with the property "
                + "orleans.serialization.allowed-types=" + type + " (or SiloBuilder.allowSerialization)";
    }

    /**
     * Registered types by id; any other type by name, but only one of the application's own packages:
     * a name from the network outside them is refused before its class is loaded.
     */
    private final class ApplicationTypes extends DefaultClassResolver {
        @Override
        public Registration registerImplicit(Class type) {
            if (!isApplicationClass(type)) {
                throw new SerializationException(unlisted(type.getName()));
            }
            try {
                return register(new Registration(type, serializerFor(kryo, type), NAME));
            } catch (IllegalStateException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        }

        @Override
        protected @Nullable Class<?> getTypeByName(String className) {
            if (!isApplicationName(className)) {
                throw new SerializationException(unlisted(className));
            }
            return super.getTypeByName(className);
        }
    }

    private static SerializationException writeFailure(RuntimeException e) {
        SerializationException ours = ownCause(e);
        if (ours != null) {
            return ours; // Kryo wraps what a nested serializer throws; ours already says what to do
        }
        String text = String.valueOf(e.getMessage());
        if (text.startsWith("Class is not registered")) {
            String type = text.substring(text.indexOf(':') + 1).split("\n")[0].trim();
            return new SerializationException(unlisted(type), e);
        }
        return new SerializationException("Could not serialize a grain call value: " + text, e);
    }

    private static @Nullable SerializationException ownCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SerializationException s) {
                return s;
            }
        }
        return null;
    }

    private static SerializationException readFailure(RuntimeException e) {
        SerializationException ours = ownCause(e);
        if (ours != null) {
            return ours;
        }
        return new SerializationException("Could not read a grain call value: " + e.getMessage(), e);
    }

    private static final class GrainIdSerializer extends Serializer<GrainId> {
        private static final KeyKind[] KINDS = KeyKind.values();

        GrainIdSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, GrainId id) {
            output.writeByte(id.keyKind().ordinal());
            LengthGuards.StringSerializer.writeString(output, id.type());
            LengthGuards.StringSerializer.writeString(output, id.key());
        }

        @Override
        public GrainId read(Kryo kryo, Input input, Class<? extends GrainId> type) {
            int kind = input.readByte();
            if (kind < 0 || kind >= KINDS.length) {
                throw new SerializationException("unknown grain key kind " + kind);
            }
            return GrainId.of(
                    LengthGuards.StringSerializer.readString(input),
                    LengthGuards.StringSerializer.readString(input),
                    KINDS[kind]);
        }
    }

    private static final class SiloAddressSerializer extends Serializer<SiloAddress> {
        SiloAddressSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, SiloAddress silo) {
            LengthGuards.StringSerializer.writeString(output, silo.host());
            output.writeVarInt(silo.port(), true);
            output.writeVarLong(silo.generation(), true);
        }

        @Override
        public SiloAddress read(Kryo kryo, Input input, Class<? extends SiloAddress> type) {
            return new SiloAddress(
                    LengthGuards.StringSerializer.readString(input), input.readVarInt(true), input.readVarLong(true));
        }
    }
}
