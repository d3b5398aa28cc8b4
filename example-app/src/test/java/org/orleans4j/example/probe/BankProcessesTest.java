package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.example.probe.AccountGrain.AccountView;
import org.orleans4j.example.probe.AccountGrain.TransferOutcome;

/**
 * Money is conserved across a silo's crash. The README's two-silo setup (H2 server, default settings)
 * runs the probe application, whose {@link AccountGrain accounts} are spread over both silos; a cluster
 * client drives thousands of concurrent transfers (each a call to the source account, which withdraws
 * and calls the destination's deposit), and about two seconds in one silo gets {@code kill -9} and is
 * restarted on its ports. The client retries each transfer with its id until it gets a definite answer.
 * Then the total is what it was, no transfer is left pending, and every balance is its opening balance
 * plus the confirmed transfers in and minus the confirmed transfers out: what the callers were told.
 */
class BankProcessesTest {

    /** Runs, each with fresh accounts and a kill -9 of silo 0 and 1 in turn; -Dbank.runs=5 for the acceptance. */
    private static final int RUNS = Integer.getInteger("bank.runs", 2);

    private static final int TRANSFERS = Integer.getInteger("bank.transfers", 2_000);
    private static final int ACCOUNTS = 16;
    private static final int IN_FLIGHT = 64;
    /** Up to almost a third of an opening balance, so that some transfers find too little money. */
    private static final int MAX_AMOUNT = 300;

    private static final Duration KILL_AFTER = Duration.ofSeconds(2);
    private static final Duration RETRY_DELAY = Duration.ofMillis(50);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path data;

    @Test
    void concurrentTransfersAcrossAKilledSiloConserveMoneyAndMatchTheirAnswers() throws Exception {
        Path logs = Path.of("target", "process-logs", "bank-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        Server h2 = SiloProcesses.startH2Server(data);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        List<String> failures = new ArrayList<>();
        try (SiloProcesses silos = SiloProcesses.start(ProbeApplication.class, 2, SiloProcesses.h2ServerUrl(h2), logs);
                ClusterClient client = ClusterClient.builder()
                        .clusterOptions(new ClusterOptions(SiloProcesses.SERVICE_ID, SiloProcesses.CLUSTER_ID))
                        .staticGateways(silos.gateways())
                        .build()) {
            client.connect();
            for (int run = 0; run < RUNS; run++) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> client.connectedGateways().size() == 2);
                Run result = new Run(run, client, retries).execute(silos, run % 2);
                System.out.println("MEASURED: " + result.summary());
                if (!result.problems().isEmpty()) {
                    failures.add("run " + run + ": " + result.problems());
                }
            }
        } finally {
            retries.shutdownNow();
            h2.stop();
        }
        assertThat(failures).as("runs whose money or answers did not add up").isEmpty();
    }

    /** One run: fresh accounts, the transfers, a kill -9 and restart of silo {@code victim}, the check. */
    private static final class Run {

        private final int run;
        private final ClusterClient client;
        private final ScheduledExecutorService retryTimer;
        private final String[] accounts = new String[ACCOUNTS];
        /** Opening balance plus confirmed transfers in, minus confirmed transfers out: what callers were told. */
        private final AtomicLongArray told = new AtomicLongArray(ACCOUNTS);

        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicInteger confirmed = new AtomicInteger();
        private final AtomicInteger insufficient = new AtomicInteger();
        private final AtomicInteger retried = new AtomicInteger();
        /** Failed attempts (then retried) by exception type. */
        private final Map<String, Integer> failuresByType = new ConcurrentHashMap<>();

        private final List<String> problems = new ArrayList<>();
        private volatile boolean abandoned;
        private volatile int answeredAtKill = -1;
        private int[] hosted;
        private long total;
        private int pending;
        private int mismatches;
        private long millis;

        Run(int run, ClusterClient client, ScheduledExecutorService retryTimer) {
            this.run = run;
            this.client = client;
            this.retryTimer = retryTimer;
            for (int a = 0; a < ACCOUNTS; a++) {
                accounts[a] = "run" + run + "-account" + a;
                told.set(a, AccountGrain.OPENING_BALANCE);
            }
        }

        Run execute(SiloProcesses silos, int victim) throws Exception {
            // Activate every account first, so that both silos hold some before the kill.
            for (String account : accounts) {
                account(account).view().get(30, TimeUnit.SECONDS);
            }
            hosted = new int[] {hostedOn(silos, 0), hostedOn(silos, 1)};
            assertThat(hosted).as("accounts of run %d on silo 0 and 1", run).doesNotContain(0);

            long start = System.nanoTime();
            CompletableFuture<Void> crash = CompletableFuture.runAsync(
                    () -> killAndRestart(silos, victim),
                    CompletableFuture.delayedExecutor(KILL_AFTER.toMillis(), TimeUnit.MILLISECONDS));
            Random random = new Random(run);
            try {
                for (int t = 0; t < TRANSFERS; t++) {
                    int from = random.nextInt(ACCOUNTS);
                    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    Transfer transfer =
                            new Transfer("run" + run + "-transfer" + t, from, to, 1 + random.nextInt(MAX_AMOUNT));
                    if (!inFlight.tryAcquire(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("no transfer finished for " + RUN_TIMEOUT);
                    }
                    attempt(transfer);
                }
                await().atMost(RUN_TIMEOUT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> answered.get() == TRANSFERS);
            } finally {
                // On a timeout, the retries still scheduled end instead of going on into the next run.
                abandoned = answered.get() < TRANSFERS;
            }
            millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            crash.get(3, TimeUnit.MINUTES);
            check();
            return this;
        }

        private void killAndRestart(SiloProcesses silos, int victim) {
            answeredAtKill = answered.get();
            silos.silo(victim).kill();
            silos.restart(victim);
            silos.awaitActive(victim);
        }

        /** One call of the transfer; retried with the same id until it has a definite answer. */
        private void attempt(Transfer transfer) {
            if (abandoned) {
                inFlight.release();
                return;
            }
            CompletableFuture<TransferOutcome> call;
            try {
                call = account(accounts[transfer.from()])
                        .transfer(transfer.id(), accounts[transfer.to()], transfer.amount());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((outcome, failure) -> {
                if (failure != null) {
                    retried.incrementAndGet();
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    failuresByType.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
                    retryTimer.schedule(() -> attempt(transfer), RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
                if (outcome == TransferOutcome.CONFIRMED) {
                    told.addAndGet(transfer.from(), -transfer.amount());
                    told.addAndGet(transfer.to(), transfer.amount());
                    confirmed.incrementAndGet();
                } else {
                    insufficient.incrementAndGet();
                }
                answered.incrementAndGet();
                inFlight.release();
            });
        }

        /** Every account as stored, against what the callers were told; the restarted silo may still be joining. */
        private void check() {
            AccountView[] views = new AccountView[ACCOUNTS];
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        for (int a = 0; a < ACCOUNTS; a++) {
                            if (views[a] == null) {
                                views[a] = account(accounts[a]).view().get(30, TimeUnit.SECONDS);
                            }
                        }
                        return true;
                    });
            for (int a = 0; a < ACCOUNTS; a++) {
                total += views[a].balance();
                pending += views[a].pendingTransfers();
                if (views[a].balance() != told.get(a)) {
                    mismatches++;
                    problems.add(accounts[a] + " holds " + views[a].balance() + ", callers were told " + told.get(a));
                }
            }
            long opening = (long) ACCOUNTS * AccountGrain.OPENING_BALANCE;
            if (total != opening) {
                problems.add("total " + total + " instead of " + opening);
            }
            if (pending != 0) {
                problems.add(pending + " transfers still pending");
            }
            if (answeredAtKill < 0 || answeredAtKill >= TRANSFERS) {
                problems.add("the kill came after the transfers (" + answeredAtKill + " answered by then)");
            }
        }

        private int hostedOn(SiloProcesses silos, int silo) throws Exception {
            String prefix = "run" + run + "-";
            return (int) Arrays.stream(silos.get(silo, "/probe/keys/account").split("\n"))
                    .filter(key -> key.startsWith(prefix))
                    .count();
        }

        private AccountGrain account(String key) {
            return client.grainFactory().getGrain(AccountGrain.class, key);
        }

        List<String> problems() {
            return problems;
        }

        String summary() {
            return String.format(
                    "run %d: %d transfers between %d accounts (%d and %d on silo 0 and 1), %d in flight,"
                            + " kill -9 of silo %d after %d answers: %d confirmed, %d insufficient funds, %d retries,"
                            + " %d ms; total %d of %d, %d pending, %d balances differing from what callers were told;"
                            + " failed attempts by type: %s",
                    run,
                    TRANSFERS,
                    ACCOUNTS,
                    hosted[0],
                    hosted[1],
                    IN_FLIGHT,
                    run % 2,
                    answeredAtKill,
                    confirmed.get(),
                    insufficient.get(),
                    retried.get(),
                    millis,
                    total,
                    (long) ACCOUNTS * AccountGrain.OPENING_BALANCE,
                    pending,
                    mismatches,
                    new TreeMap<>(failuresByType));
        }
    }

    private record Transfer(String id, int from, int to, long amount) {}
}
