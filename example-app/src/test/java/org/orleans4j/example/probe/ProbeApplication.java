package org.orleans4j.example.probe;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.example.dictionary.EntryGrain;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.Silo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dictionary service plus a test-only window into its silo, so a multi-process test can count
 * activations and read membership from outside the JVM.
 */
@SpringBootApplication(scanBasePackages = {"org.orleans4j.example.dictionary", "org.orleans4j.example.probe"})
public class ProbeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProbeApplication.class, args);
    }

    @RestController
    static class ProbeController {
        private final Silo silo;
        private final GrainFactory grains;

        ProbeController(Silo silo, GrainFactory grains) {
            this.silo = silo;
            this.grains = grains;
        }

        /** Registers the reminder of the alarm grain {@code key}, ticking every {@code periodMillis}. */
        @PostMapping("/probe/alarm/{key}/{periodMillis}")
        CompletableFuture<Void> arm(@PathVariable String key, @PathVariable long periodMillis) {
            return grains.getGrain(AlarmGrain.class, key).arm(periodMillis);
        }

        /** How many reminders this silo schedules (those of its ranges of the ring). */
        @GetMapping("/probe/reminders")
        int reminders() {
            return silo.diagnostics().remindersRunning();
        }

        @GetMapping("/probe/silo")
        String silo() {
            return silo.address().toString();
        }

        /** Whether this silo holds an activation of the entry grain of {@code word}. */
        @GetMapping("/probe/activation/{word}")
        boolean activation(@PathVariable String word) {
            return silo.diagnostics().hasActivation(GrainId.ofString(typeOf(EntryGrain.class), word));
        }

        /** The keys of this silo's activations of {@code kind} ({@code entry}, {@code tally} or {@code account}), one a line. */
        @GetMapping("/probe/keys/{kind}")
        String keys(@PathVariable String kind) {
            String type = typeOf(
                    switch (kind) {
                        case "tally" -> TallyGrain.class;
                        case "account" -> AccountGrain.class;
                        default -> EntryGrain.class;
                    });
            return silo.diagnostics().activeGrains().stream()
                    .filter(id -> id.type().equals(type))
                    .map(GrainId::key)
                    .sorted()
                    .collect(Collectors.joining("\n"));
        }

        /** How many silos are Active in this silo's view of the membership. */
        @GetMapping("/probe/active")
        int active() {
            return silo.membership().currentSnapshot().activeSilos().size();
        }

        @PostMapping("/probe/tally/{key}")
        CompletableFuture<Long> increment(@PathVariable String key) {
            return grains.getGrain(TallyGrain.class, key).increment();
        }

        @GetMapping("/probe/tally/{key}")
        CompletableFuture<Long> total(@PathVariable String key) {
            return grains.getGrain(TallyGrain.class, key).total();
        }

        private String typeOf(Class<?> grainInterface) {
            return silo.grainTypes().implementationOf(grainInterface).typeName();
        }

        /** The status of {@code address} in this silo's view of the membership, after a refresh. */
        @GetMapping("/probe/status/{address}")
        String status(@PathVariable String address) {
            return silo.membership()
                    .refresh()
                    .join()
                    .statusOf(SiloAddress.parse(address))
                    .name();
        }
    }
}
