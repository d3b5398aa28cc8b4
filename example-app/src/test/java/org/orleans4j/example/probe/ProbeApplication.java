package org.orleans4j.example.probe;

import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloAddress;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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

        ProbeController(Silo silo) {
            this.silo = silo;
        }

        @GetMapping("/probe/silo")
        String silo() {
            return silo.address().toString();
        }

        /** Whether this silo holds an activation of the entry grain of {@code word}. */
        @GetMapping("/probe/activation/{word}")
        boolean activation(@PathVariable String word) {
            String type = silo.grainTypes().implementationOf(org.orleans4j.example.dictionary.EntryGrain.class).typeName();
            return silo.catalog().get(GrainId.ofString(type, word)) != null;
        }

        /** The status of {@code address} in this silo's view of the membership, after a refresh. */
        @GetMapping("/probe/status/{address}")
        String status(@PathVariable String address) {
            return silo.membership().refresh().join().statusOf(SiloAddress.parse(address)).name();
        }
    }
}
