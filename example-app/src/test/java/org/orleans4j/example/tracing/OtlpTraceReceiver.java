package org.orleans4j.example.tracing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test OTLP/HTTP trace receiver: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest}
 * in protobuf, as OpenTelemetry's exporter sends it. It reads the fields a trace test needs (ids,
 * parent, name, kind, status, string attributes, the resource's attributes) with a small protobuf
 * reader of its own, and answers 200 with an empty {@code ExportTraceServiceResponse}.
 */
final class OtlpTraceReceiver implements AutoCloseable {

    /** One received span; ids in lower-case hex (the parent is empty for a root). */
    record Span(
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            int kind,
            int statusCode,
            Map<String, String> attributes,
            Map<String, String> resource) {

        static final int KIND_SERVER = 2;
        static final int KIND_CLIENT = 3;
        static final int STATUS_ERROR = 2;

        String attribute(String key) {
            return attributes.get(key);
        }
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    OtlpTraceReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                spans.addAll(decodeRequest(ByteBuffer.wrap(body.readAllBytes())));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, 0);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
                throw e;
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Where exporters send: {@code http://127.0.0.1:port/v1/traces}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- protobuf: ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; } ----

    private static List<Span> decodeRequest(ByteBuffer in) {
        List<Span> out = new ArrayList<>();
        while (in.hasRemaining()) {
            int tag = (int) varint(in);
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                decodeResourceSpans(field(in), out);
            } else {
                skip(in, tag & 7);
            }
        }
        return out;
    }

    /** ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; } */
    private static void decodeResourceSpans(ByteBuffer in, List<Span> out) {
        Map<String, String> resource = new LinkedHashMap<>();
        List<ByteBuffer> scopes = new ArrayList<>();
        while (in.hasRemaining()) {
            int tag = (int) varint(in);
            int number = tag >>> 3;
            if (number == 1 && (tag & 7) == 2) {
                ByteBuffer r = field(in); // Resource { repeated KeyValue attributes = 1; }
                while (r.hasRemaining()) {
                    int t = (int) varint(r);
                    if (t >>> 3 == 1 && (t & 7) == 2) {
                        keyValue(field(r), resource);
                    } else {
                        skip(r, t & 7);
                    }
                }
            } else if (number == 2 && (tag & 7) == 2) {
                scopes.add(field(in));
            } else {
                skip(in, tag & 7);
            }
        }
        for (ByteBuffer scope : scopes) { // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            while (scope.hasRemaining()) {
                int tag = (int) varint(scope);
                if (tag >>> 3 == 2 && (tag & 7) == 2) {
                    out.add(decodeSpan(field(scope), resource));
                } else {
                    skip(scope, tag & 7);
                }
            }
        }
    }

    /** Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; SpanKind kind = 6; repeated KeyValue attributes = 9; Status status = 15; } */
    private static Span decodeSpan(ByteBuffer in, Map<String, String> resource) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        int status = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            int tag = (int) varint(in);
            int wire = tag & 7;
            switch (tag >>> 3) {
                case 1 -> traceId = hex(field(in));
                case 2 -> spanId = hex(field(in));
                case 4 -> parent = hex(field(in));
                case 5 -> name = text(field(in));
                case 6 -> kind = (int) varint(in);
                case 9 -> keyValue(field(in), attributes);
                case 15 -> { // Status { string message = 2; StatusCode code = 3; }
                    ByteBuffer s = field(in);
                    while (s.hasRemaining()) {
                        int t = (int) varint(s);
                        if (t >>> 3 == 3 && (t & 7) == 0) {
                            status = (int) varint(s);
                        } else {
                            skip(s, t & 7);
                        }
                    }
                }
                default -> skip(in, wire);
            }
        }
        return new Span(traceId, spanId, parent, name, kind, status, Map.copyOf(attributes), Map.copyOf(resource));
    }

    /** KeyValue { string key = 1; AnyValue value = 2; }, AnyValue { string string_value = 1; bool = 2; int64 = 3; ... } */
    private static void keyValue(ByteBuffer in, Map<String, String> into) {
        String key = null;
        String value = null;
        while (in.hasRemaining()) {
            int tag = (int) varint(in);
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                key = text(field(in));
            } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
                ByteBuffer any = field(in);
                while (any.hasRemaining()) {
                    int t = (int) varint(any);
                    switch (t >>> 3) {
                        case 1 -> value = text(field(any));
                        case 2, 3 -> value = String.valueOf(varint(any));
                        default -> skip(any, t & 7);
                    }
                }
            } else {
                skip(in, tag & 7);
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    private static ByteBuffer field(ByteBuffer in) {
        int length = (int) varint(in);
        ByteBuffer slice = in.slice(in.position(), length).order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + length);
        return slice;
    }

    private static void skip(ByteBuffer in, int wireType) {
        switch (wireType) {
            case 0 -> varint(in);
            case 1 -> in.position(in.position() + 8);
            case 2 -> field(in);
            case 5 -> in.position(in.position() + 4);
            default -> throw new IllegalArgumentException("unknown protobuf wire type " + wireType);
        }
    }

    private static String text(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String hex(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
