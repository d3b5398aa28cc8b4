package org.orleans4j.serialization.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.grain.RemoteGrainException;
import org.orleans4j.serialization.SerializationException;
import org.orleans4j.testing.JavaSources;

/**
 * Two builds of one application side by side, each in a class loader of its own with a serializer of
 * its own, as an old and a new silo are during a rolling upgrade: what one writes the other reads, in
 * both directions, across every change the README's "Rolling upgrades" section allows.
 */
class VersionCompatibilityTest {

    private static final String PKG = "com.example.shop";

    /** Version 1 of the application. */
    private static final Map<String, String> V1 = Map.of(
            PKG + ".Order",
            """
            package com.example.shop;
            public record Order(String customer, int quantity, Status status, Priority priority, Item item,
                    String coupon, java.util.List<Line> lines) {}
            """,
            PKG + ".Line",
            """
            package com.example.shop;
            public record Line(String sku, int count) {}
            """,
            PKG + ".Status",
            """
            package com.example.shop;
            public enum Status { OPEN, CLOSED }
            """,
            PKG + ".Priority",
            """
            package com.example.shop;
            public enum Priority { LOW, HIGH, @org.orleans4j.serialization.WireDefault UNKNOWN }
            """,
            PKG + ".Item",
            """
            package com.example.shop;
            public class Item {
                public String sku;
                public long price;
                public String legacy;
            }
            """,
            PKG + ".Measure",
            """
            package com.example.shop;
            public record Measure(int amount, String size) {}
            """,
            PKG + ".OutOfStockException",
            """
            package com.example.shop;
            public class OutOfStockException extends RuntimeException {
                public OutOfStockException(String message) { super(message); }
            }
            """,
            PKG + ".ShopGrain",
            """
            package com.example.shop;
            public interface ShopGrain extends org.orleans4j.grain.GrainWithStringKey {
                java.util.concurrent.CompletableFuture<Order> place(Order order, Measure measure)
                        throws OutOfStockException;
            }
            """);

    /**
     * Version 2: Order gains a field, loses {@code coupon} and renames {@code customer} (tagged with its
     * old name); both enums gain constants (Status's new one first, so ordinals shift); Item gains a field
     * with an initializer and loses {@code legacy}; Measure widens {@code amount} to long and turns
     * {@code size} into an int; a new exception type.
     */
    private static final Map<String, String> V2 = Map.of(
            PKG + ".Order",
            """
            package com.example.shop;
            import org.orleans4j.serialization.WireName;
            public record Order(@WireName("customer") String client, int quantity, Status status,
                    Priority priority, Item item, java.util.List<Line> lines, String note) {}
            """,
            PKG + ".Line",
            """
            package com.example.shop;
            public record Line(String sku, int count, boolean gift) {}
            """,
            PKG + ".Status",
            """
            package com.example.shop;
            public enum Status { PENDING, OPEN, SHIPPED, CLOSED }
            """,
            PKG + ".Priority",
            """
            package com.example.shop;
            public enum Priority { LOW, HIGH, URGENT, @org.orleans4j.serialization.WireDefault UNKNOWN }
            """,
            PKG + ".Item",
            """
            package com.example.shop;
            public class Item {
                public String sku;
                public long price;
                public int weight = 1;
            }
            """,
            PKG + ".Measure",
            """
            package com.example.shop;
            public record Measure(long amount, int size) {}
            """,
            PKG + ".OutOfStockException",
            """
            package com.example.shop;
            public class OutOfStockException extends RuntimeException {
                public OutOfStockException(String message) { super(message); }
            }
            """,
            PKG + ".BackorderedException",
            """
            package com.example.shop;
            public class BackorderedException extends RuntimeException {
                public BackorderedException(String message) { super(message); }
            }
            """,
            PKG + ".ShopGrain",
            """
            package com.example.shop;
            public interface ShopGrain extends org.orleans4j.grain.GrainWithStringKey {
                java.util.concurrent.CompletableFuture<Order> place(Order order, Measure measure)
                        throws OutOfStockException, BackorderedException;
            }
            """);

    private static URLClassLoader v1;
    private static URLClassLoader v2;
    private static WireSerializer wire1;
    private static WireSerializer wire2;

    @BeforeAll
    static void compileBothVersions(@TempDir Path dir) throws Exception {
        v1 = JavaSources.loader(JavaSources.compile(dir.resolve("v1"), V1));
        v2 = JavaSources.loader(JavaSources.compile(dir.resolve("v2"), V2));
        wire1 = new WireSerializer(new SerializationTypes().scanInterface(v1.loadClass(PKG + ".ShopGrain")), 1 << 20);
        wire2 = new WireSerializer(new SerializationTypes().scanInterface(v2.loadClass(PKG + ".ShopGrain")), 1 << 20);
    }

    @AfterAll
    static void close() throws Exception {
        v1.close();
        v2.close();
    }

    @Test
    void aNewerRecordReadsAnOlderOne() throws Exception {
        Object item = item(v1, "sku-1", 250L);
        v1.loadClass(PKG + ".Item").getField("legacy").set(item, "old");
        Object order = record(
                v1,
                "Order",
                "ann",
                3,
                constant(v1, "Status", "CLOSED"),
                constant(v1, "Priority", "HIGH"),
                item,
                "SAVE10",
                List.of(record(v1, "Line", "a", 1), record(v1, "Line", "b", 2)));

        Object read = wire2.deserialize(wire1.serialize(order));

        assertThat(read.getClass().getClassLoader()).isSameAs(v2);
        assertThat(component(read, "client"))
                .as("renamed, tagged with its old name")
                .isEqualTo("ann");
        assertThat(component(read, "quantity")).isEqualTo(3);
        assertThat(component(read, "status").toString())
                .as("by name, not ordinal")
                .isEqualTo("CLOSED");
        assertThat(component(read, "priority").toString()).isEqualTo("HIGH");
        assertThat(component(read, "note")).as("added: its default").isNull();
        Object readItem = component(read, "item");
        assertThat(field(readItem, "sku")).isEqualTo("sku-1");
        assertThat(field(readItem, "price")).isEqualTo(250L);
        assertThat(field(readItem, "weight"))
                .as("added: what the constructor sets")
                .isEqualTo(1);
        List<?> lines = (List<?>) component(read, "lines");
        assertThat(lines).hasSize(2);
        assertThat(component(lines.get(1), "sku")).isEqualTo("b");
        assertThat(component(lines.get(1), "gift")).as("added primitive: false").isEqualTo(false);
    }

    @Test
    void anOlderRecordReadsANewerOne() throws Exception {
        Object item = item(v2, "sku-2", 99L);
        v2.loadClass(PKG + ".Item").getField("weight").set(item, 7);
        Object order = record(
                v2,
                "Order",
                "bob",
                5,
                constant(v2, "Status", "OPEN"),
                constant(v2, "Priority", "LOW"),
                item,
                List.of(record(v2, "Line", "c", 4, true)),
                "leave at the door");

        Object read = wire1.deserialize(wire2.serialize(order));

        assertThat(read.getClass().getClassLoader()).isSameAs(v1);
        assertThat(component(read, "customer")).isEqualTo("bob");
        assertThat(component(read, "quantity")).isEqualTo(5);
        assertThat(component(read, "status").toString()).isEqualTo("OPEN");
        assertThat(component(read, "coupon")).as("removed in v2: its default").isNull();
        assertThat(field(component(read, "item"), "sku")).isEqualTo("sku-2");
        assertThat(field(component(read, "item"), "legacy")).isNull();
        List<?> lines = (List<?>) component(read, "lines");
        assertThat(component(lines.get(0), "count")).isEqualTo(4);
    }

    @Test
    void aNewEnumConstantIsReadAsTheMarkedDefaultOrFailsNamingIt() throws Exception {
        Object urgent = constant(v2, "Priority", "URGENT");
        assertThat(wire1.deserialize(wire2.serialize(urgent)).toString()).isEqualTo("UNKNOWN");

        Object shipped = constant(v2, "Status", "SHIPPED");
        byte[] bytes = wire2.serialize(shipped);
        assertThatThrownBy(() -> wire1.deserialize(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(PKG + ".Status")
                .hasMessageContaining("SHIPPED")
                .hasMessageContaining("@WireDefault");
    }

    @Test
    void aFieldWhoseTypeChangedIsRefusedNamingItWhileOtherValuesCross() throws Exception {
        Object measure = record(v1, "Measure", 12, "L");
        Object[] args = {null, measure};
        // size changed from String to int: a type change is refused, naming the field
        assertThatThrownBy(() -> wire2.deserializeArgs(wire1.serializeArgs(args)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'size'")
                .hasMessageContaining("may not change");

        Object widened = record(v2, "Measure", 40L, 2);
        // amount widened from int to long: an old silo reads what fits in an int
        assertThatThrownBy(() -> wire1.deserialize(wire2.serialize(widened)))
                .as("the String size of v1 cannot take v2's int")
                .isInstanceOf(SerializationException.class);
        Object line = record(v2, "Line", "z", 9, false);
        Object[] back = wire1.deserializeArgs(wire2.serializeArgs(new Object[] {line, "text"}));
        assertThat(component(back[0], "count")).isEqualTo(9);
        assertThat(back[1]).isEqualTo("text");
    }

    @Test
    void anIntegralFieldMayWidenButNotOverflow() throws Exception {
        Map<String, String> wider = Map.of(
                PKG + ".Count",
                "package com.example.shop; public record Count(long value) {}",
                PKG + ".CountGrain",
                """
                package com.example.shop;
                public interface CountGrain extends org.orleans4j.grain.GrainWithStringKey {
                    java.util.concurrent.CompletableFuture<Void> count(Count count);
                }
                """);
        Map<String, String> narrower = Map.of(
                PKG + ".Count",
                "package com.example.shop; public record Count(int value) {}",
                PKG + ".CountGrain",
                wider.get(PKG + ".CountGrain"));
        Path dir = java.nio.file.Files.createTempDirectory("count");
        try (URLClassLoader longs = JavaSources.loader(JavaSources.compile(dir.resolve("long"), wider));
                URLClassLoader ints = JavaSources.loader(JavaSources.compile(dir.resolve("int"), narrower))) {
            WireSerializer longWire = new WireSerializer(
                    new SerializationTypes().scanInterface(longs.loadClass(PKG + ".CountGrain")), 1 << 20);
            WireSerializer intWire = new WireSerializer(
                    new SerializationTypes().scanInterface(ints.loadClass(PKG + ".CountGrain")), 1 << 20);
            assertThat(component(longWire.deserialize(intWire.serialize(record(ints, "Count", 7))), "value"))
                    .isEqualTo(7L);
            assertThat(component(intWire.deserialize(longWire.serialize(record(longs, "Count", 8L))), "value"))
                    .isEqualTo(8);
            byte[] tooBig = longWire.serialize(record(longs, "Count", 1L << 40));
            assertThatThrownBy(() -> intWire.deserialize(tooBig))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("does not fit");
        }
    }

    @Test
    void aNewExceptionTypeReachesAnOlderSiloByNameWithItsMessage() throws Exception {
        Throwable backordered = (Throwable) v2.loadClass(PKG + ".BackorderedException")
                .getConstructor(String.class)
                .newInstance("back in May");
        Throwable atV1 = wire1.deserializeFailure(wire2.serializeFailure(backordered));
        assertThat(atV1).isInstanceOf(RemoteGrainException.class);
        assertThat(((RemoteGrainException) atV1).remoteType()).isEqualTo(PKG + ".BackorderedException");
        assertThat(atV1.getMessage()).contains("back in May");

        Throwable outOfStock = (Throwable) v1.loadClass(PKG + ".OutOfStockException")
                .getConstructor(String.class)
                .newInstance("none left");
        Throwable atV2 = wire2.deserializeFailure(wire1.serializeFailure(outOfStock));
        assertThat(atV2.getClass()).isSameAs(v2.loadClass(PKG + ".OutOfStockException"));
        assertThat(atV2.getMessage()).isEqualTo("none left");
    }

    @Test
    void bothVersionsStillRoundTripTheirOwnValues() throws Exception {
        for (URLClassLoader loader : List.of(v1, v2)) {
            WireSerializer wire = loader == v1 ? wire1 : wire2;
            Object line = loader == v1 ? record(v1, "Line", "x", 1) : record(v2, "Line", "x", 1, true);
            assertThat(wire.deserialize(wire.serialize(line))).isEqualTo(line);
        }
    }

    private static Object item(ClassLoader loader, String sku, long price) throws Exception {
        Class<?> type = loader.loadClass(PKG + ".Item");
        Object item = type.getConstructor().newInstance();
        type.getField("sku").set(item, sku);
        type.getField("price").set(item, price);
        return item;
    }

    private static Object record(ClassLoader loader, String simpleName, Object... values) throws Exception {
        Class<?> type = loader.loadClass(PKG + "." + simpleName);
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
        }
        Constructor<?> canonical = type.getConstructor(parameterTypes);
        return canonical.newInstance(values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object constant(ClassLoader loader, String simpleName, String name) throws Exception {
        return Enum.valueOf((Class) loader.loadClass(PKG + "." + simpleName), name);
    }

    private static Object component(Object record, String name) throws Exception {
        Method accessor = record.getClass().getMethod(name);
        return accessor.invoke(record);
    }

    private static Object field(Object object, String name) throws Exception {
        return object.getClass().getField(name).get(object);
    }
}
