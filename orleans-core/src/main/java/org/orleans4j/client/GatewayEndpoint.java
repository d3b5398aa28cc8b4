package org.orleans4j.client;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A gateway's {@code host:port}, as listed statically or derived from the membership table. */
record GatewayEndpoint(String host, int port) implements Comparable<GatewayEndpoint> {

    GatewayEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a gateway address (host:port): " + host + ":" + port);
        }
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}. */
    static GatewayEndpoint parse(@Nullable String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("not a gateway address (host:port): '" + text + "'");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an IPv6 gateway address needs brackets ([::1]:30000): '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a gateway address (host:port): '" + text + "'");
        }
        return new GatewayEndpoint(host, port);
    }

    @Override
    public int compareTo(GatewayEndpoint o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
