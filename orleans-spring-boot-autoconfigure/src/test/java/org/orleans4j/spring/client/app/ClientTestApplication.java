package org.orleans4j.spring.client.app;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * A client application: its package holds a grain interface and (as in an application that runs
 * as silo or client) the grain class, which the component scan finds through {@code @GrainComponent}.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
@ComponentScan
public class ClientTestApplication {}
