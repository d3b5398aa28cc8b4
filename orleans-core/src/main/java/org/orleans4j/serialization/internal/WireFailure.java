package org.orleans4j.serialization.internal;

import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.ActivationFailedException;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.CallOutcomeUnknownException;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.ObserverUnavailableException;
import org.orleans4j.grain.RemoteFailureOrigin;
import org.orleans4j.grain.RemoteGrainException;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.placement.PlacementException;
import org.orleans4j.serialization.SerializationException;

/**
 * A failure as it crosses the wire: the exception's type name, message, stack frames and the silo
 * where it was thrown (never the object itself). The receiving side recreates the same type when it
 * is allowed (built in, declared by a grain method, or an application exception: see
 * {@link WireSerializer}) and has a {@code (String)} constructor, else raises a
 * {@link RemoteGrainException} naming it; either way with the remote stack trace and a
 * {@link RemoteFailureOrigin} naming the silo.
 */
public record WireFailure(
        String type,
        @Nullable String message,
        @Nullable String storedEtag,
        @Nullable String currentEtag,
        @Nullable String origin,
        String @Nullable [] frames) {

    /** Stack frames kept per failure: where it was thrown is near the top. */
    static final int MAX_FRAMES = 64;

    /**
     * Recreated as themselves. {@link CallNotDeliveredException} must stay distinct from its supertype
     * {@link SiloUnavailableException} across the wire: a gateway tells its client by it that a call did not
     * run and may be retried.
     */
    private static final Set<Class<? extends Throwable>> BUILT_IN = Set.of(
            GrainException.class,
            ActivationFailedException.class,
            SiloUnavailableException.class,
            CallNotDeliveredException.class,
            CallOutcomeUnknownException.class,
            ObserverUnavailableException.class,
            ResponseTimeoutException.class,
            PlacementException.class,
            SerializationException.class,
            IllegalArgumentException.class,
            IllegalStateException.class,
            UnsupportedOperationException.class,
            NullPointerException.class,
            ArithmeticException.class,
            IndexOutOfBoundsException.class,
            TimeoutException.class);

    /** {@code failure} as thrown here, at {@code origin} (this silo or client). */
    public static WireFailure of(Throwable failure, @Nullable String origin) {
        // A failure that came from elsewhere keeps the silo where it was thrown.
        String thrownAt = RemoteFailureOrigin.of(failure).orElse(origin);
        String[] frames = frames(failure);
        if (failure instanceof RemoteGrainException remote) {
            // Passing through a second silo keeps the original type, not the wrapper's.
            String text = remote.getMessage();
            String prefix = remote.remoteType() + ": ";
            return new WireFailure(
                    remote.remoteType(),
                    text.startsWith(prefix) ? text.substring(prefix.length()) : null,
                    null,
                    null,
                    thrownAt,
                    frames);
        }
        if (failure instanceof InconsistentStateException inconsistent) {
            return new WireFailure(
                    failure.getClass().getName(),
                    failure.getMessage(),
                    inconsistent.storedEtag(),
                    inconsistent.currentEtag(),
                    thrownAt,
                    frames);
        }
        return new WireFailure(failure.getClass().getName(), failure.getMessage(), null, null, thrownAt, frames);
    }

    private static String[] frames(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        String[] frames = new String[Math.min(trace.length, MAX_FRAMES)];
        for (int i = 0; i < frames.length; i++) {
            StackTraceElement frame = trace[i];
            frames[i] = frame.getClassName() + "\t" + frame.getMethodName() + "\t"
                    + (frame.getFileName() == null ? "" : frame.getFileName()) + "\t" + frame.getLineNumber();
        }
        return frames;
    }

    /** The remote stack trace and origin, on the failure recreated here. */
    private Throwable withRemoteTrace(Throwable recreated) {
        if (frames != null) {
            java.util.List<StackTraceElement> trace = new java.util.ArrayList<>();
            for (String frame : frames) {
                String[] parts = frame == null ? new String[0] : frame.split("\t", -1);
                if (parts.length == 4) {
                    int line;
                    try {
                        line = Integer.parseInt(parts[3]);
                    } catch (NumberFormatException e) {
                        line = -1;
                    }
                    trace.add(new StackTraceElement(parts[0], parts[1], parts[2].isEmpty() ? null : parts[2], line));
                }
            }
            recreated.setStackTrace(trace.toArray(StackTraceElement[]::new));
        }
        if (origin != null) {
            recreated.addSuppressed(new RemoteFailureOrigin(origin));
        }
        return recreated;
    }

    /**
     * Recreates the failure as its own type when that is allowed here ({@code allowed}, else
     * {@code lookup}, which may find an application exception type), with the remote stack trace and origin.
     */
    Throwable toThrowable(
            Map<String, Constructor<? extends Throwable>> allowed,
            java.util.function.Function<String, @Nullable Constructor<? extends Throwable>> lookup) {
        if (type.equals(InconsistentStateException.class.getName())) {
            return withRemoteTrace(new InconsistentStateException(message, storedEtag, currentEtag));
        }
        Constructor<? extends Throwable> constructor = allowed.get(type);
        if (constructor == null) {
            constructor = lookup.apply(type);
        }
        if (constructor != null) {
            try {
                return withRemoteTrace(constructor.newInstance(message));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to the generic form
            }
        }
        return withRemoteTrace(new RemoteGrainException(type, message));
    }

    /** The {@code (String)} constructors of the built-in exception types and of {@code extra}. */
    static Map<String, Constructor<? extends Throwable>> constructors(Set<Class<? extends Throwable>> extra) {
        Map<String, Constructor<? extends Throwable>> result = new HashMap<>();
        for (Set<Class<? extends Throwable>> set : java.util.List.of(BUILT_IN, extra)) {
            for (Class<? extends Throwable> type : set) {
                try {
                    result.put(type.getName(), type.getConstructor(String.class));
                } catch (NoSuchMethodException e) {
                    // Recreated as RemoteGrainException instead.
                }
            }
        }
        return Map.copyOf(result);
    }
}
