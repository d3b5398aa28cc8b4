package org.orleans4j.spring.actuate.dashboard.app;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** The dashboard tests' application: its package holds the grain the tests call. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class DashboardTestApplication {}
