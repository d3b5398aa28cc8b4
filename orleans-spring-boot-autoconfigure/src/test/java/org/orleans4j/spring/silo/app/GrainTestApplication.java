package org.orleans4j.spring.silo.app;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Marks this package as the application's, so its grain classes are found by scanning. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class GrainTestApplication {

    @Bean
    Greeting greeting() {
        return new Greeting("Hello");
    }

    /** An ordinary bean injected into grains. */
    public record Greeting(String word) {}
}
