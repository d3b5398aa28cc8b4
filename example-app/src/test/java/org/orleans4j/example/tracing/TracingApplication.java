package org.orleans4j.example.tracing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The dictionary service plus {@code POST /hops/{role}?then=a,b}: a chain of grain calls across silo roles. */
@SpringBootApplication(scanBasePackages = {"org.orleans4j.example.dictionary", "org.orleans4j.example.tracing"})
public class TracingApplication {

    public static void main(String[] args) {
        SpringApplication.run(TracingApplication.class, args);
    }

    @RestController
    static class HopController {
        private final GrainFactory grains;

        HopController(GrainFactory grains) {
            this.grains = grains;
        }

        @PostMapping("/hops/{role}")
        CompletableFuture<String> hop(@PathVariable String role, @RequestParam(defaultValue = "") String then) {
            List<String> next = then.isBlank() ? List.of() : List.of(then.split(","));
            return grains.getGrain(HopGrain.class, role).hop(next);
        }
    }
}
