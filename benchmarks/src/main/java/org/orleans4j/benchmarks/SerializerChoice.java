package org.orleans4j.benchmarks;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.orleans4j.serialization.internal.SerializationTypes;
import org.orleans4j.serialization.internal.WireSerializer;

/**
 * Why application values are written by field tag: bytes and time of one round trip (write and read) of
 * an order, a class of 6 fields holding a list of 2 classes of 2 fields, written three ways. Kryo's
 * {@code FieldSerializer} is positional (what the wire did before: not version tolerant);
 * {@code CompatibleFieldSerializer} with chunked encoding skips unknown fields too, but writes each
 * class's field names once per value and does not take records; {@code WireSerializer} writes 4-byte
 * tags from the names, and takes records.
 */
public final class SerializerChoice {

    /** The order, as a class: the one shape all three serializers take. */
    public static final class Order {
        String customer = "ann";
        int quantity = 3;
        long priceCents = 1999;
        String status = "OPEN";
        long at = 1_800_000_000_000L;
        ArrayList<Line> lines = new ArrayList<>(List.of(new Line("sku-1", 1), new Line("sku-2", 2)));
    }

    public static final class Line {
        String sku;
        int count;

        Line() {}

        Line(String sku, int count) {
            this.sku = sku;
            this.count = count;
        }
    }

    private SerializerChoice() {}

    public static void main(String[] args) {
        Order order = new Order();
        System.out.printf(
                Locale.ROOT,
                "Serializer choice: one round trip of an order (6 fields, 2 nested of 2), %s %s%n",
                System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"));
        report("Kryo FieldSerializer (positional, not version tolerant)", kryo(false), order);
        report("Kryo CompatibleFieldSerializer (chunked)", kryo(true), order);
        WireSerializer wire = new WireSerializer(new SerializationTypes().allow(Order.class), 1 << 20);
        report(
                "WireSerializer (field tags)",
                () -> new RoundTrip() {
                    @Override
                    public byte[] write(Object value) {
                        return wire.serialize(value);
                    }

                    @Override
                    public Object read(byte[] bytes) {
                        return wire.deserialize(bytes);
                    }
                },
                order);
    }

    private interface RoundTrip {
        byte[] write(Object value);

        Object read(byte[] bytes);
    }

    private static Supplier<RoundTrip> kryo(boolean compatible) {
        return () -> {
            Kryo kryo = new Kryo();
            kryo.setReferences(false);
            kryo.register(ArrayList.class);
            for (Class<?> type : List.of(Order.class, Line.class)) {
                if (compatible) {
                    CompatibleFieldSerializer.CompatibleFieldSerializerConfig config =
                            new CompatibleFieldSerializer.CompatibleFieldSerializerConfig();
                    config.setChunkedEncoding(true);
                    config.setReadUnknownFieldData(false);
                    kryo.register(type, new CompatibleFieldSerializer<>(kryo, type, config));
                } else {
                    kryo.register(type, new FieldSerializer<>(kryo, type));
                }
            }
            Output output = new Output(256, 1 << 20);
            Input input = new Input();
            return new RoundTrip() {
                @Override
                public byte[] write(Object value) {
                    output.reset();
                    kryo.writeClassAndObject(output, value);
                    return output.toBytes();
                }

                @Override
                public Object read(byte[] bytes) {
                    input.setBuffer(bytes);
                    return kryo.readClassAndObject(input);
                }
            };
        };
    }

    private static void report(String name, Supplier<RoundTrip> make, Order order) {
        RoundTrip trip = make.get();
        int size = trip.write(order).length;
        long sink = 0;
        for (int i = 0; i < 300_000; i++) { // warm-up
            sink += trip.read(trip.write(order)).hashCode();
        }
        List<Double> rounds = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            int n = 500_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += trip.read(trip.write(order)).hashCode();
            }
            rounds.add((System.nanoTime() - start) / (double) n);
        }
        rounds.sort(null);
        System.out.printf(
                Locale.ROOT,
                "%-58s %4d bytes, %7.0f ns per round trip (median of 5)%s%n",
                name,
                size,
                rounds.get(2),
                sink == 42 ? " " : "");
    }
}
