package org.orleans4j.calls;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Runs around every grain call an activation of this silo handles (Orleans'
 * {@code IIncomingGrainCallFilter}), on the activation's turn. Silo-wide filters are registered with
 * {@code SiloBuilder.addIncomingCallFilter} (in Spring: beans of this type, in {@code @Order}); a grain
 * class that implements this interface filters the calls to its own activations, after the silo-wide
 * ones. A filter returns {@code call.proceed()} (or a stage derived from it) to let the call through,
 * anything else to answer it itself; what it throws fails the call.
 */
@FunctionalInterface
public interface IncomingGrainCallFilter {

    CompletionStage<@Nullable Object> onIncomingCall(IncomingGrainCallContext call) throws Exception;
}
