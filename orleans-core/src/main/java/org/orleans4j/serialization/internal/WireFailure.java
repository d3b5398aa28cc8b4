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
import org.orleans4j.grain.RemoteGrainException;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.placement.PlacementException;
import org.orleans4j.serialization.SerializationException;

/**
 * A failure as it crosses the wire: the exception's type name and message (never the object
 * itself). The receiving side recreates the same type when it is allowed and has a
 * {@code (String)} constructor, else raises a {@link RemoteGrainException} naming it.
 */
public record WireFailure(
        String type,
        @Nullable String message,
        @Nullable String storedEtag,
        @Nullable String currentEtag) {

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

    public static WireFailure of(Throwable failure) {
        if (failure instanceof RemoteGrainException remote) {
            // Passing through a second silo keeps the original type, not the wrapper's.
            String text = remote.getMessage();
            String prefix = remote.remoteType() + ": ";
            return new WireFailure(
                    remote.remoteType(), text.startsWith(prefix) ? text.substring(prefix.length()) : null, null, null);
        }
        if (failure instanceof InconsistentStateException inconsistent) {
            return new WireFailure(
                    failure.getClass().getName(),
                    failure.getMessage(),
                    inconsistent.storedEtag(),
                    inconsistent.currentEtag());
        }
        return new WireFailure(failure.getClass().getName(), failure.getMessage(), null, null);
    }

    /** Recreates the failure among the allowed exception types. */
    Throwable toThrowable(Map<String, Constructor<? extends Throwable>> allowed) {
        if (type.equals(InconsistentStateException.class.getName())) {
            return new InconsistentStateException(message, storedEtag, currentEtag);
        }
        Constructor<? extends Throwable> constructor = allowed.get(type);
        if (constructor != null) {
            try {
                return constructor.newInstance(message);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to the generic form
            }
        }
        return new RemoteGrainException(type, message);
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
