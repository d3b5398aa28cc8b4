package org.orleans4j.spring.jdbc.frozen;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** Marks this package as the application's, so {@link AccountGrainImpl} is found by scanning. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class FrozenDatabaseApplication {}
