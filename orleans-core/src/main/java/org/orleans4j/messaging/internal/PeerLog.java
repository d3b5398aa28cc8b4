package org.orleans4j.messaging.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logging of what peers do wrong. Peer data (ids, addresses, reasons built from them) has its control
 * characters escaped, so a peer cannot forge log lines; and each remote address gets at most one line
 * per {@link #INTERVAL_NANOS}, so a peer reconnecting in a loop cannot flood the log. Lines withheld are
 * counted and reported with the next one.
 */
public final class PeerLog {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_TRACKED = 10_000;

    private record Window(long startNanos, int suppressed) {}

    private final Logger log;
    private final ConcurrentHashMap<Object, Window> windows = new ConcurrentHashMap<>();

    public PeerLog(Logger log) {
        this.log = log;
    }

    /** Logs at WARN unless this remote address was logged within the interval. */
    public void warn(SocketAddress remote, String format, @Nullable Object... args) {
        warnFor(
                remote instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress() : remote,
                format,
                args);
    }

    /** Logs at WARN unless a line for {@code key} (a peer silo, say) was logged within the interval. */
    public void warnFor(Object key, String format, @Nullable Object... args) {
        long now = System.nanoTime();
        if (windows.size() > MAX_TRACKED) {
            windows.clear();
        }
        int[] withheld = {-1};
        windows.compute(key, (k, window) -> {
            if (window == null || now - window.startNanos() >= INTERVAL_NANOS) {
                withheld[0] = window == null ? 0 : window.suppressed();
                return new Window(now, 0);
            }
            return new Window(window.startNanos(), window.suppressed() + 1);
        });
        if (withheld[0] < 0) {
            return;
        }
        @Nullable Object[] safe = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            safe[i] = args[i] == null ? null : escape(String.valueOf(args[i]));
        }
        if (withheld[0] > 0) {
            log.warn(
                    format + " ({} similar lines from this address withheld in the last 10 s)",
                    append(safe, withheld[0]));
        } else {
            log.warn(format, safe);
        }
    }

    private static @Nullable Object[] append(@Nullable Object[] args, Object last) {
        @Nullable Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    /** {@code text} with control characters (newlines included) written as {@code \\uXXXX}. */
    public static String escape(String text) {
        @Nullable StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
