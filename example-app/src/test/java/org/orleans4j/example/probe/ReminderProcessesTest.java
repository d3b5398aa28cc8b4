package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable reminder over three silo processes on PostgreSQL: registered once, it ticks on one silo at a
 * time; after {@code kill -9} of the silo that runs it a survivor takes it over; after every silo is
 * killed and started again it ticks without being registered again. Every tick is counted from the
 * silos' logs: none is delivered twice, and none is missing outside the two outages.
 */
class ReminderProcessesTest {

    private static final long PERIOD_MILLIS = 2_000;
    private static final Pattern TICK = Pattern.compile("REMINDER-TICK alarm-1 (\\d+)");

    private ProbeCluster cluster;

    /** Kept when the test fails, for the silos' logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReminderTicksOnceAtATimeThroughAKillAndARestartOfEverySilo() throws Exception {
        cluster = ProbeCluster.start(3, logs, "--orleans.reminders.minimum-period=1s");
        cluster.awaitAllActive();
        assertThat(cluster.send(
                                0,
                                HttpRequest.newBuilder(
                                                URI.create(cluster.base(0) + "/probe/alarm/alarm-1/" + PERIOD_MILLIS))
                                        .POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> ticks().size() >= 3);
        int owner = runningOn();

        // kill -9 of the silo that runs it: a survivor takes it over once the silo is declared dead.
        long killedAt = System.currentTimeMillis();
        cluster.silo(owner).kill();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> countAfter(killedAt) >= 1);
        long resumedAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> countAfter(killedAt) >= 3);
        int survivorOwner = runningOn();

        // Every silo killed, then all started again on the same ports: nothing registers the reminder again.
        long downAt = System.currentTimeMillis();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.silo(i).isAlive()) {
                cluster.silo(i).kill();
            }
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.restart(i);
        }
        for (int i = 0; i < cluster.size(); i++) {
            cluster.awaitStarted(i);
        }
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> countAfter(downAt) >= 1);
        long upAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> countAfter(downAt) >= 3);
        int restartedOwner = runningOn();

        Map<Long, Integer> deliveries = ticks();
        long first = deliveries.keySet().iterator().next();
        long last = ((TreeMap<Long, Integer>) deliveries).lastKey();
        List<Long> doubled = new ArrayList<>();
        List<Long> missingOutsideOutages = new ArrayList<>();
        int missingInOutages = 0;
        long expected = (last - first) / PERIOD_MILLIS + 1;
        for (long tick = first; tick <= last; tick += PERIOD_MILLIS) {
            Integer count = deliveries.get(tick);
            if (count != null && count > 1) {
                doubled.add(tick);
            }
            if (count == null) {
                boolean inOutage = (tick >= killedAt - PERIOD_MILLIS && tick <= resumedAt)
                        || (tick >= downAt - PERIOD_MILLIS && tick <= upAt);
                if (inOutage) {
                    missingInOutages++;
                } else {
                    missingOutsideOutages.add(tick);
                }
            }
        }
        System.out.printf(
                "MEASURED: reminder every %d ms on 3 silo processes (PostgreSQL): ticks due %d, delivered %d,"
                        + " delivered twice %d; missing %d, all within the outages (kill -9 of silo-%d: ticks"
                        + " again %d ms after the kill, on silo-%d; all silos killed and restarted: ticks again"
                        + " %d ms after the kill, on silo-%d); missing outside the outages %d%n",
                PERIOD_MILLIS,
                expected,
                deliveries.size(),
                doubled.size(),
                missingInOutages,
                owner,
                resumedAt - killedAt,
                survivorOwner,
                upAt - downAt,
                restartedOwner,
                missingOutsideOutages.size());
        assertThat(doubled).as("ticks delivered more than once").isEmpty();
        assertThat(deliveries.keySet())
                .as("every tick on the reminder's schedule")
                .allMatch(tick -> (tick - first) % PERIOD_MILLIS == 0);
        assertThat(missingOutsideOutages).as("ticks lost outside the outages").isEmpty();
    }

    /** The one silo that runs the reminder now (the others run none). */
    private int runningOn() {
        int[] owner = {-1};
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            int found = -1;
            int total = 0;
            for (int i = 0; i < cluster.size(); i++) {
                if (!cluster.silo(i).isAlive()) {
                    continue;
                }
                int running = Integer.parseInt(cluster.get(i, "/probe/reminders"));
                total += running;
                if (running == 1) {
                    found = i;
                }
            }
            owner[0] = found;
            return total == 1 && found >= 0;
        });
        return owner[0];
    }

    private long countAfter(long millis) {
        return ticks().keySet().stream().filter(tick -> tick > millis).count();
    }

    /** Tick time → how many silos logged its delivery, over every process each silo ran. */
    private Map<Long, Integer> ticks() {
        Map<Long, Integer> ticks = new TreeMap<>();
        for (int i = 0; i < cluster.size(); i++) {
            try {
                Matcher matcher = TICK.matcher(Files.readString(cluster.silo(i).logFile()));
                while (matcher.find()) {
                    ticks.merge(Long.parseLong(matcher.group(1)), 1, Integer::sum);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ticks;
    }
}
