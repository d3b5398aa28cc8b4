package org.orleans4j.cluster;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A network endpoint, {@code host:port}: a gateway listed in configuration or in the membership
 * table, or the endpoint of a silo address. The one parser of such addresses: {@code host:port},
 * or {@code [ipv6]:port} with the IPv6 address in brackets (a bare IPv6 address such as
 * {@code ::1:30000} is ambiguous and rejected); the port is between 1 and 65535. Ordered by host,
 * then port.
 *
 * @param host a host name or IP address, IPv6 without brackets
 * @param port between 1 and 65535
 */
public record HostPort(String host, int port) implements Comparable<HostPort> {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the host of an address (host:port) must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the port of an address (host:port) must be between 1 and 65535, was "
                    + port + " (host " + host + ")");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static HostPort parse(@Nullable String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException(
                    "not an address: '" + text + "' (expected host:port, for example 127.0.0.1:30000 or [::1]:30000)");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException(
                        "not an address: '" + text + "' (an IPv6 address in brackets, for example [::1]:30000)");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("not an address: '" + text
                    + "' (an IPv6 address needs brackets around it, for example [::1]:30000)");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("not an address: '" + text + "' (the host is missing)");
        }
        String portText = trimmed.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "not an address: '" + text + "' (the port '" + portText + "' is not a number between 1 and 65535)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "not an address: '" + text + "' (the port must be between 1 and 65535, was " + port + ")");
        }
        return new HostPort(host, port);
    }

    /** {@code host:port}, or {@code [host]:port} for an IPv6 address. */
    public static String format(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public int compareTo(HostPort o) {
        int c = host.compareTo(o.host);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    /** {@code host:port}, or {@code [host]:port} for an IPv6 address: what {@link #parse} reads back. */
    @Override
    public String toString() {
        return format(host, port);
    }
}
