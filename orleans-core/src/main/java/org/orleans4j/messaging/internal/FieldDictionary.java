package org.orleans4j.messaging.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The grain types, interface names and silo addresses that one direction of a connection has carried,
 * numbered in the order they were first sent. A message names few of them, the same ones again and
 * again: after its first use a value costs two bytes on the wire and nothing to parse or allocate
 * (Orleans' caching codecs do the same for silo addresses and grain types). Both ends of a direction
 * build the same table from the same frames, in order, so a number names the same value on both.
 *
 * <p>Bounded alike on both ends: once the table holds {@link #MAX_ENTRIES} values or
 * {@link #MAX_BYTES} bytes of their text, new values go literally. A peer that defines more than
 * that, or refers to a number it never defined, breaks the protocol. Each half is confined to the
 * connection's event loop.
 *
 * <p>A field on the wire starts with a two-byte code: {@link #NULL}; {@link #LITERAL} or
 * {@link #DEFINE} followed by the value's length (two bytes) and UTF-8 text, the latter making it
 * the table's next entry; or the number of an entry.
 */
public final class FieldDictionary {

    public static final int MAX_ENTRIES = 1024;
    public static final int MAX_BYTES = 64 * 1024;
    /** The longest text of a field, in bytes. */
    public static final int MAX_TEXT_BYTES = 4096;

    public static final int NULL = 0xFFFF;
    public static final int LITERAL = 0xFFFE;
    public static final int DEFINE = 0xFFFD;

    private FieldDictionary() {}

    /** The UTF-8 bytes of a text field; fails for a text longer than {@link #MAX_TEXT_BYTES}. */
    static byte[] utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        checkTextLength(bytes.length);
        return bytes;
    }

    /** Fails for a text field of more than {@link #MAX_TEXT_BYTES} bytes. */
    static void checkTextLength(int length) {
        if (length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("text field of " + length + " bytes exceeds " + MAX_TEXT_BYTES);
        }
    }

    /** Reads the {@code length} bytes of a text field, checked against the limit and what the frame holds. */
    static String readUtf8(ByteBuf in, int length) {
        if (length > MAX_TEXT_BYTES || length > in.readableBytes()) {
            throw new ProtocolException("text field of " + length + " bytes is too long or truncated");
        }
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    /** The sending end: which values the peer knows by number. */
    public static final class Writer {
        private final Map<Object, Integer> numbers = new HashMap<>();
        /** The defined values in order, to take back those of a message that failed to encode. */
        private final List<Object> defined = new ArrayList<>();

        private int bytes;

        /**
         * By field of a message ({@code slot}), the value last written there as a number, and that number.
         * A field carries the very same object message after message (the silo's own address, a grain type's
         * name), so one reference comparison mostly spares the map's hash and equals.
         */
        private final @Nullable Object[] lastValues = new Object[SLOTS];

        private final int[] lastNumbers = new int[SLOTS];

        /** The fields of a message that {@link #write(ByteBuf, Object, int)} tells apart. */
        static final int SLOTS = 5;

        /**
         * Writes {@code value} (a string, or a value whose {@code toString} its reader parses back) as a
         * number the peer knows, or as text that it may learn.
         */
        void write(ByteBuf out, @Nullable Object value) {
            write(out, value, -1);
        }

        /** As {@link #write(ByteBuf, Object)}, for the field {@code slot} (0 to {@link #SLOTS} - 1, or -1: none). */
        void write(ByteBuf out, @Nullable Object value, int slot) {
            if (value == null) {
                out.writeShort(NULL);
                return;
            }
            if (slot >= 0 && lastValues[slot] == value) {
                out.writeShort(lastNumbers[slot]);
                return;
            }
            Integer number = numbers.get(value);
            if (number != null) {
                remember(slot, value, number);
                out.writeShort(number);
                return;
            }
            byte[] text = utf8(value.toString());
            if (defined.size() < MAX_ENTRIES && bytes + text.length <= MAX_BYTES) {
                remember(slot, value, defined.size());
                numbers.put(value, defined.size());
                defined.add(value);
                bytes += text.length;
                out.writeShort(DEFINE);
            } else {
                out.writeShort(LITERAL);
            }
            out.writeShort(text.length);
            out.writeBytes(text);
        }

        /** How many values are defined: a mark to {@link #forgetFrom} when a message is not sent after all. */
        public int size() {
            return defined.size();
        }

        private void remember(int slot, Object value, int number) {
            if (slot >= 0) {
                lastValues[slot] = value;
                lastNumbers[slot] = number;
            }
        }

        /** Forgets the values defined since {@code mark}: the frame that defined them was discarded. */
        void forgetFrom(int mark) {
            Arrays.fill(lastValues, null);
            while (defined.size() > mark) {
                Object value = defined.remove(defined.size() - 1);
                numbers.remove(value);
                bytes -= utf8(value.toString()).length;
            }
        }
    }

    /** The receiving end: the values the peer defined, by number. */
    public static final class Reader {
        private final List<Object> entries = new ArrayList<>();
        private int bytes;

        /** Reads a text field. */
        @Nullable
        String readText(ByteBuf in) {
            return read(in, String.class, Function.identity());
        }

        /**
         * Reads a field whose text {@code parse} turns into a value of {@code type}, parsed once per
         * connection; an entry of another type breaks the protocol.
         */
        <T> @Nullable T read(ByteBuf in, Class<T> type, Function<String, T> parse) {
            int code = in.readUnsignedShort();
            if (code == NULL) {
                return null;
            }
            if (code == LITERAL || code == DEFINE) {
                int length = in.readUnsignedShort();
                T value = parse.apply(readUtf8(in, length));
                if (code == DEFINE) {
                    if (entries.size() >= MAX_ENTRIES || bytes + length > MAX_BYTES) {
                        throw new ProtocolException("the peer defined more than " + MAX_ENTRIES + " fields or "
                                + MAX_BYTES + " bytes of them on one connection");
                    }
                    entries.add(value);
                    bytes += length;
                }
                return value;
            }
            if (code >= entries.size()) {
                throw new ProtocolException("reference to field " + code + ", but only " + entries.size()
                        + " are defined on this connection");
            }
            Object entry = entries.get(code);
            if (!type.isInstance(entry)) {
                throw new ProtocolException("field " + code + " is not a " + type.getSimpleName());
            }
            return type.cast(entry);
        }
    }
}
