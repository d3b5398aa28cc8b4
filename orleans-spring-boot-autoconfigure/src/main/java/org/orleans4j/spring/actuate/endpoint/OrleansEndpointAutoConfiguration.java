package org.orleans4j.spring.actuate.endpoint;

import java.time.Clock;
import java.time.Duration;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code orleans} Actuator endpoint, when Actuator is present, the application hosts a silo, and
 * the endpoint is available (access not {@code none}, and exposed over web or JMX).
 */
@AutoConfiguration(after = OrleansAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Silo.class)
@ConditionalOnAvailableEndpoint(OrleansEndpoint.class)
public class OrleansEndpointAutoConfiguration {

    /** Bounds a request's table read, so a stuck database fails the request instead of holding it. */
    private static final Duration TABLE_READ_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    @ConditionalOnMissingBean
    OrleansEndpoint orleansEndpoint(Silo silo, ObjectProvider<MembershipTable> membershipTable) {
        MembershipReader membership = new MembershipReader(silo, membershipTable.getIfAvailable(), TABLE_READ_TIMEOUT);
        return new OrleansEndpoint(silo, membership, Clock.systemUTC());
    }
}
