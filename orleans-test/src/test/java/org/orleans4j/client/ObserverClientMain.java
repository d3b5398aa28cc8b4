package org.orleans4j.client;

import java.util.List;
import org.orleans4j.client.ObserversTest.TickObserver;
import org.orleans4j.client.ObserversTest.Ticker;
import org.orleans4j.cluster.ClusterOptions;

/**
 * A cluster client in a process of its own, for a test that kills it: connects to one gateway,
 * subscribes an observer to the ticker grain {@code args[3]} (and subscribes again every third of the
 * expiration), prints {@code SUBSCRIBED} and then {@code TICK <n>} for each callback, and runs until killed.
 * Arguments: service id, cluster id, gateway {@code host:port}, ticker key.
 */
public final class ObserverClientMain {

    /** A third of the test's expiration. */
    static final long RENEW_MILLIS = ObserversTest.EXPIRATION.toMillis() / 3;

    private ObserverClientMain() {}

    public static void main(String[] args) throws InterruptedException {
        ClusterClient client = ClusterClient.builder()
                .clusterOptions(new ClusterOptions(args[0], args[1]))
                .staticGateways(List.of(args[2]))
                .build();
        client.connect();
        TickObserver observer = client.createObserverReference(TickObserver.class, new TickObserver() {
            @Override
            public void onTick(int sequence) {
                System.out.println("TICK " + sequence);
            }

            @Override
            public java.util.concurrent.CompletableFuture<String> echo(String text) {
                return java.util.concurrent.CompletableFuture.completedFuture("echo: " + text);
            }
        });
        Ticker ticker = client.grainFactory().getGrain(Ticker.class, args[3]);
        ticker.subscribe(observer).join();
        System.out.println("SUBSCRIBED");
        // Renews the subscription, as a client does to stay subscribed, until the process is killed.
        while (true) {
            Thread.sleep(RENEW_MILLIS);
            ticker.subscribe(observer).join();
        }
    }
}
