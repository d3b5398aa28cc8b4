package org.orleans4j.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.membership.SiloProber;
import org.orleans4j.messaging.ProtocolException;
import org.orleans4j.messaging.SiloMessaging;

/**
 * Probes over the silo's own connections: a direct probe is a ping on the connection to the silo
 * (opened if needed), an indirect probe a request to the intermediary's {@link SiloCluster#PROBE}
 * system target, which answers whether its own probe reached the target.
 */
final class MessagingSiloProber implements SiloProber {

    private final SiloMessaging messaging;
    private final MessageCenter messages;

    MessagingSiloProber(SiloMessaging messaging, MessageCenter messages) {
        this.messaging = messaging;
        this.messages = messages;
    }

    @Override
    public CompletableFuture<?> probe(SiloAddress silo, Duration timeout) {
        return messaging.connection(silo).thenCompose(c -> c.ping(timeout));
    }

    @Override
    public CompletableFuture<Boolean> probeIndirectly(SiloAddress intermediary, SiloAddress target, Duration timeout) {
        return messages.callSystem(intermediary, SiloCluster.PROBE, 0, new Object[] {target})
                .orTimeout(timeout.toNanos() * 2, java.util.concurrent.TimeUnit.NANOSECONDS)
                .thenApply(answer -> {
                    if (answer instanceof Boolean reached) {
                        return reached;
                    }
                    throw new ProtocolException("silo " + intermediary + " answered an indirect probe with "
                            + (answer == null ? "nothing" : answer.getClass().getName()));
                });
    }
}
