package org.orleans4j.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A silo's network identity: host, port and generation (start time in epoch milliseconds, so a
 * restarted silo on the same endpoint is a different silo). Ordered by address bytes (IP literals compare
 * numerically), then port, then generation: the order every silo agrees on.
 */
public final class SiloAddress implements Comparable<SiloAddress> {

    private final String host;
    private final int port;
    private final long generation;
    private final byte @Nullable [] addressBytes;
    /** Computed once: every message between silos looks up silo addresses in maps (connections, field numbers). */
    private final int hash;
    /** Cached: every message between silos names two silo addresses. */
    private @Nullable String text;

    public SiloAddress(String host, int port, long generation) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        this.port = port;
        this.generation = generation;
        this.addressBytes = literalBytes(host);
        this.hash = 31 * (31 * host.hashCode() + port) + Long.hashCode(generation);
    }

    /** Parses {@code host:port@generation}. */
    public static SiloAddress parse(String text) {
        int at = text.lastIndexOf('@');
        int colon = text.lastIndexOf(':', at < 0 ? text.length() : at);
        if (at < 0 || colon < 0) {
            throw new IllegalArgumentException("not a silo address (host:port@generation): " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SiloAddress(
                host, Integer.parseInt(text.substring(colon + 1, at)), Long.parseLong(text.substring(at + 1)));
    }

    private static byte @Nullable [] literalBytes(String host) {
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal || host.isEmpty()) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public long generation() {
        return generation;
    }

    /** {@code host:port}, without the generation. */
    public String endpoint() {
        return HostPort.format(host, port);
    }

    @Override
    public int compareTo(SiloAddress o) {
        int c;
        if (addressBytes != null && o.addressBytes != null) {
            c = Integer.compare(addressBytes.length, o.addressBytes.length);
            if (c == 0) {
                c = Arrays.compareUnsigned(addressBytes, o.addressBytes);
            }
        } else if (addressBytes != null) {
            c = -1;
        } else if (o.addressBytes != null) {
            c = 1;
        } else {
            c = host.compareTo(o.host);
        }
        if (c != 0) {
            return c;
        }
        c = Integer.compare(port, o.port);
        return c != 0 ? c : Long.compare(generation, o.generation);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return this == o
                || (o instanceof SiloAddress s && port == s.port && generation == s.generation && host.equals(s.host));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = endpoint() + "@" + generation;
            text = t;
        }
        return t;
    }
}
