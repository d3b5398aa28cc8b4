package org.orleans4j.spring.actuate.endpoint.app;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** The endpoint tests' application: its package holds one grain class per placement the tests show. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class EndpointTestApplication {}
