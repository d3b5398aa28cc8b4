package org.orleans4j.spring.observation.app;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** Marks this package as the application's, so its grain class is found by scanning. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ObservedTestApplication {}
