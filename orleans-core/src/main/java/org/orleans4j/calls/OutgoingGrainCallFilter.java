package org.orleans4j.calls;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Runs around every grain call made through a grain reference of this silo or cluster client (Orleans'
 * {@code IOutgoingGrainCallFilter}), on the caller's thread (a grain's own turn, when a grain calls).
 * Registered with {@code SiloBuilder.addOutgoingCallFilter} or {@code ClusterClientBuilder.addOutgoingCallFilter}
 * (in Spring: beans of this type, in {@code @Order}). Values a filter puts in
 * {@link org.orleans4j.grain.RequestContext} before {@code call.proceed()} travel with the call.
 */
@FunctionalInterface
public interface OutgoingGrainCallFilter {

    CompletionStage<@Nullable Object> onOutgoingCall(GrainCallContext call) throws Exception;
}
