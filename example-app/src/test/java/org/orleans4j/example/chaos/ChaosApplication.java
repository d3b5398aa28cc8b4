package org.orleans4j.example.chaos;

import javax.sql.DataSource;
import org.orleans4j.runtime.Silo;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dictionary service as the chaos suite runs it: the example's own controller and
 * {@code EntryGrainImpl}, unchanged, plus an {@link ActivationRecorder} that writes each activation's
 * start and stop into the ledger table, and one read-only endpoint telling how many silos this silo
 * sees Active.
 */
@SpringBootApplication(scanBasePackages = {"org.orleans4j.example.dictionary", "org.orleans4j.example.chaos"})
public class ChaosApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChaosApplication.class, args);
    }

    /** Static: a bean post-processor is made before the other beans; the data source is looked up on first use. */
    @Bean
    static ActivationRecorder activationRecorder(
            ObjectProvider<DataSource> dataSource, @Value("${chaos.silo-instance}") String siloInstance) {
        return new ActivationRecorder(dataSource::getObject, siloInstance);
    }

    @RestController
    static class MembershipController {
        private final Silo silo;

        MembershipController(Silo silo) {
            this.silo = silo;
        }

        /** How many silos are Active in this silo's view of the membership. */
        @GetMapping("/chaos/active")
        int active() {
            return silo.membership().currentSnapshot().activeSilos().size();
        }
    }
}
