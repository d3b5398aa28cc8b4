package org.orleans4j.example.rolling;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.runtime.Silo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Build v1 of a small order service for {@link RollingUpgradeProcessesTest}: orders take line items
 * (an argument record) and keep their totals in persisted state (a state class). Build v2, compiled
 * by the test, changes both classes and adds a grain type.
 */
@SpringBootApplication
public class RollingApplication {

    public static void main(String[] args) {
        SpringApplication.run(RollingApplication.class, args);
    }

    @RestController
    static class OrderController {
        private final GrainFactory grains;
        private final Silo silo;

        OrderController(GrainFactory grains, Silo silo) {
            this.grains = grains;
            this.silo = silo;
        }

        /** Adds a line to order {@code key}; answers the order's line count after it. */
        @PostMapping("/orders/{key}")
        CompletableFuture<Long> add(@PathVariable String key, @RequestParam String sku, @RequestParam int quantity) {
            return grains.getGrain(OrderGrain.class, key).add(new LineItem(sku, quantity));
        }

        /** The order's line count, as stored. */
        @GetMapping("/orders/{key}")
        CompletableFuture<Long> lines(@PathVariable String key) {
            return grains.getGrain(OrderGrain.class, key).lines();
        }

        /** This silo's build and activations by grain type, for the test to see where grains run. */
        @GetMapping("/silo")
        String silo() {
            return silo.address() + " " + silo.diagnostics().activationCountsByType();
        }
    }
}
