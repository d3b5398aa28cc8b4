package org.orleans4j.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.membership.RemoteProber;
import org.orleans4j.membership.SiloProber;
import org.orleans4j.messaging.internal.ProtocolException;
import org.orleans4j.messaging.internal.SiloMessaging;

/**
 * Probes over the silo's own connections: a direct probe is a ping on the connection to the silo
 * (opened if needed), an indirect probe a request to the intermediary's {@link SiloCluster#PROBE}
 * system target, which answers whether its own probe reached the target.
 */
final class MessagingSiloProber implements SiloProber {

    private final SiloMessaging messaging;
    private final SystemTargets targets;

    MessagingSiloProber(SiloMessaging messaging, SystemTargets targets) {
        this.messaging = messaging;
        this.targets = targets;
    }

    @Override
    public CompletableFuture<?> probe(SiloAddress silo, Duration timeout) {
        return messaging.connection(silo).thenCompose(c -> c.ping(timeout));
    }

    @Override
    public CompletableFuture<Boolean> probeIndirectly(SiloAddress intermediary, SiloAddress target, Duration timeout) {
        return targets.remote(SiloCluster.PROBE, RemoteProber.class, intermediary)
                .probe(target)
                .orTimeout(timeout.toNanos() * 2, java.util.concurrent.TimeUnit.NANOSECONDS)
                .thenApply(answer -> {
                    if (answer != null) {
                        return answer;
                    }
                    throw new ProtocolException("silo " + intermediary + " answered an indirect probe with nothing");
                });
    }
}
