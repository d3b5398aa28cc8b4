package org.orleans4j.spring.actuate.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.runtime.MessagingStatistics;
import org.orleans4j.runtime.Silo;

/**
 * {@code orleans.messages.sent} and {@code orleans.messages.received} (messages between this silo
 * and the others: grain calls, responses, directory and membership traffic), and
 * {@code orleans.messages.rejected} tagged by {@code reason}: connections closed for a handshake of
 * another cluster, no handshake in time, a malformed or an oversized frame, a failed TLS handshake, and requests sent back
 * because the silo is stopping. A silo on its own reports zeros.
 */
public final class MessagingMetrics implements MeterBinder {

    private final Silo silo;

    public MessagingMetrics(Silo silo) {
        this.silo = silo;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        MessagingStatistics statistics = silo.messagingStatistics();
        FunctionCounter.builder("orleans.messages.sent", statistics, MessagingStatistics::messagesSent)
                .description("Messages this silo sent to other silos")
                .register(registry);
        FunctionCounter.builder("orleans.messages.received", statistics, MessagingStatistics::messagesReceived)
                .description("Messages this silo received from other silos")
                .register(registry);
        for (Rejection reason : Rejection.values()) {
            FunctionCounter.builder("orleans.messages.rejected", statistics, s -> s.rejected(reason))
                    .description("Connections and requests this silo turned away")
                    .tag("reason", MeterTags.value(reason))
                    .register(registry);
        }
    }
}
