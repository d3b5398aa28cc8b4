package org.orleans4j.spring.ssl;

import org.orleans4j.messaging.TransportSecurity;
import org.orleans4j.spring.autoconfigure.ConditionalOnClientMode;
import org.orleans4j.spring.client.ClusterClientBuilderCustomizer;
import org.orleans4j.spring.membership.ClusteringProperties;
import org.orleans4j.spring.silo.SiloBuilderCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * Mutual TLS for the cluster's connections from Spring Boot SSL bundles: a silo secures its silo and
 * gateway ports with the bundle named by {@code orleans.endpoints.ssl.bundle}, a cluster client its
 * gateway connections with {@code orleans.client.ssl.bundle}. Without a bundle a clustered silo says
 * once, at startup, that its ports are open to anyone who can reach them.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@EnableConfigurationProperties({SiloSslProperties.class, ClientSslProperties.class, ClusteringProperties.class})
public class OrleansSslAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OrleansSslAutoConfiguration.class);

    @Bean
    @ConditionalOnClientMode(false)
    SiloBuilderCustomizer orleansSiloTransportSecurity(
            SiloSslProperties ssl, ObjectProvider<SslBundles> bundles, ClusteringProperties clustering) {
        if (ssl.bundle() == null) {
            boolean clustered = clustering.enabled();
            return builder -> {
                if (clustered) {
                    log.warn(
                            "TLS is off: the silo port and the gateway port accept any peer that can reach them, "
                                    + "and nothing on them is authenticated or encrypted (anyone on the network can call "
                                    + "any grain). Set {} to a Spring Boot SSL bundle (spring.ssl.bundle.pem.<name>: the "
                                    + "cluster's CA as trust store, this silo's certificate and key as key store) for mutual "
                                    + "TLS, or restrict both ports (a Kubernetes NetworkPolicy)",
                            SiloSslProperties.BUNDLE_PROPERTY);
                }
            };
        }
        TransportSecurity security = BundleTransportSecurity.of(
                bundles.getIfAvailable(),
                ssl.bundle(),
                SiloSslProperties.BUNDLE_PROPERTY,
                "the silo and gateway ports");
        return builder -> builder.transportSecurity(security);
    }

    @Bean
    @ConditionalOnClientMode
    ClusterClientBuilderCustomizer orleansClientTransportSecurity(
            ClientSslProperties ssl, ObjectProvider<SslBundles> bundles) {
        if (ssl.bundle() == null) {
            return builder -> {};
        }
        TransportSecurity security = BundleTransportSecurity.of(
                bundles.getIfAvailable(),
                ssl.bundle(),
                ClientSslProperties.BUNDLE_PROPERTY,
                "the connections to the gateways");
        return builder -> builder.transportSecurity(security);
    }
}
