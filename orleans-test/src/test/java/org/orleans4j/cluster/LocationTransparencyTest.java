package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.RemoteFailureOrigin;
import org.orleans4j.placement.SiloRoleBasedPlacement;
import org.orleans4j.testing.TestCluster;

/**
 * One suite of calls, run against an activation on the caller's own silo, on another silo, and from a
 * cluster client: the outcomes are the same. An application exception arrives as itself (with the
 * remote stack trace and silo attached when it crossed), argument and result types that no grain
 * interface names cross because they are the application's own, and so do nested records.
 */
class LocationTransparencyTest {

    /** Thrown by the grain, declared nowhere. */
    public static class InsufficientFunds extends RuntimeException {
        public InsufficientFunds(String message) {
            super(message);
        }
    }

    /** Named by no grain interface. */
    public record Circle(double radius) {}

    /** A nested record, named by no grain interface either. */
    public static final class Shapes {
        public record Square(double side) {}
    }

    interface Account extends GrainWithStringKey {
        CompletableFuture<Void> withdraw(int amount);

        CompletableFuture<String> describe(Object shape);

        CompletableFuture<Object> echo(Object value);
    }

    @SiloRoleBasedPlacement
    public static class AccountImpl extends GrainBase implements Account {
        @Override
        public CompletableFuture<Void> withdraw(int amount) {
            throw new InsufficientFunds("balance 0 < " + amount);
        }

        @Override
        public CompletableFuture<String> describe(Object shape) {
            return CompletableFuture.completedFuture(
                    switch (shape) {
                        case Circle circle -> "circle " + circle.radius();
                        case Shapes.Square square -> "square " + square.side();
                        default -> "unknown " + shape.getClass().getName();
                    });
        }

        @Override
        public CompletableFuture<Object> echo(Object value) {
            return CompletableFuture.completedFuture(value);
        }
    }

    private TestCluster cluster;
    private ClusterClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The outcome of each call of the suite, as text; remote-only details are checked separately. */
    private static List<String> suite(GrainFactory grains) {
        Account account = grains.getGrain(Account.class, "silo-1");
        List<String> outcomes = new ArrayList<>();
        outcomes.add(outcome(() -> account.withdraw(5)));
        outcomes.add(outcome(() -> account.describe(new Circle(2))));
        outcomes.add(outcome(() -> account.describe(new Shapes.Square(3))));
        outcomes.add(outcome(() -> account.echo(new Circle(1))));
        outcomes.add(outcome(() -> account.echo(List.of(new Shapes.Square(4), new Circle(5)))));
        return outcomes;
    }

    private static String outcome(Supplier<CompletableFuture<?>> call) {
        try {
            return "ok: " + call.get().join();
        } catch (CompletionException e) {
            return "failed: " + e.getCause().getClass().getName() + ": "
                    + e.getCause().getMessage();
        }
    }

    @Test
    void theSameCallsHaveTheSameOutcomesLocallyOnAnotherSiloAndFromAClient() {
        cluster = TestCluster.builder()
                .silos(2)
                .gateways()
                .configure(b -> b.addGrainClass(AccountImpl.class))
                .start();
        cluster.awaitActiveSilos(2, Duration.ofSeconds(30));
        client = cluster.connectClient(0);

        List<String> local = suite(cluster.grainFactory(1));
        List<String> remote = suite(cluster.grainFactory(0));
        List<String> fromClient = suite(client.grainFactory());

        assertThat(local)
                .containsExactly(
                        "failed: " + InsufficientFunds.class.getName() + ": balance 0 < 5",
                        "ok: circle 2.0",
                        "ok: square 3.0",
                        "ok: " + new Circle(1),
                        "ok: " + List.of(new Shapes.Square(4), new Circle(5)));
        assertThat(remote).as("from another silo").isEqualTo(local);
        assertThat(fromClient).as("from a cluster client").isEqualTo(local);
    }

    @Test
    void anExceptionFromAnotherSiloCarriesItsStackTraceAndSilo() {
        cluster = TestCluster.builder()
                .silos(2)
                .configure(b -> b.addGrainClass(AccountImpl.class))
                .start();
        cluster.awaitActiveSilos(2, Duration.ofSeconds(30));

        CompletableFuture<Void> call =
                cluster.grainFactory(0).getGrain(Account.class, "silo-1").withdraw(7);

        Throwable failure = call.handle((value, e) -> e instanceof CompletionException c ? c.getCause() : e)
                .join();
        assertThat(failure).isInstanceOf(InsufficientFunds.class).hasMessage("balance 0 < 7");
        assertThat(Arrays.stream(failure.getStackTrace()).map(StackTraceElement::getClassName))
                .as("the trace of the silo where it was thrown")
                .first()
                .isEqualTo(AccountImpl.class.getName());
        assertThat(RemoteFailureOrigin.of(failure))
                .contains("silo " + cluster.silo(1).address());
    }
}
