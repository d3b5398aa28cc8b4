package org.orleans4j.spring.ssl;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.orleans4j.messaging.SslContextTransportSecurity;
import org.orleans4j.messaging.TlsCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Turns a Spring Boot SSL bundle into the runtime's {@link SslContextTransportSecurity}, and keeps
 * it current: when the bundle's files change (with {@code reload-on-update}), Spring Boot hands over
 * the reloaded bundle and new connections use it, so rotated certificates (cert-manager renewing a
 * Secret) need no restart. A bundle that cannot secure cluster connections fails startup with a
 * message naming the property that chose it.
 */
final class BundleTransportSecurity {

    private static final Logger log = LoggerFactory.getLogger(BundleTransportSecurity.class);

    private BundleTransportSecurity() {}

    /**
     * The transport security of bundle {@code name}, named by {@code property}, reloaded with the bundle.
     *
     * @param purpose what the bundle secures, for messages ("the silo and gateway ports")
     */
    static SslContextTransportSecurity of(SslBundles bundles, String name, String property, String purpose) {
        if (bundles == null) {
            throw new IllegalStateException(property + "=" + name + " needs Spring Boot's SSL bundles (SslBundles "
                    + "bean of SslAutoConfiguration), but there is none in this application");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException(
                    property + " names SSL bundle '" + name + "', which is not configured: "
                            + "define spring.ssl.bundle.pem." + name + ".* or spring.ssl.bundle.jks." + name
                            + ".* (bundles "
                            + "configured: " + (bundles.getBundleNames().isEmpty() ? "none" : bundles.getBundleNames())
                            + ")",
                    e);
        }
        String source = "SSL bundle '" + name + "' (" + property + ")";
        SslContextTransportSecurity security;
        try {
            security = new SslContextTransportSecurity(credentials(bundle, name, property, purpose), source);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    property + " names SSL bundle '" + name + "', which cannot secure " + purpose + ": "
                            + e.getMessage(),
                    e);
        }
        log.info("Mutual TLS on {} with {}: {}", purpose, source, describe(bundle));
        bundles.addBundleUpdateHandler(name, updated -> reload(security, updated, name, property, purpose));
        return security;
    }

    private static void reload(
            SslContextTransportSecurity security, SslBundle updated, String name, String property, String purpose) {
        try {
            security.update(credentials(updated, name, property, purpose));
            log.info("SSL bundle '{}' changed: new connections on {} use {}", name, purpose, describe(updated));
        } catch (RuntimeException e) {
            // Keeping the previous certificate keeps the cluster talking; the next valid change is taken.
            log.error(
                    "SSL bundle '{}' changed, but the new files cannot secure {} ({}); connections keep using the "
                            + "previous certificate until the files are fixed",
                    name,
                    purpose,
                    e.getMessage());
        }
    }

    /** The bundle's managers, after checking it has what mutual TLS needs. */
    static TlsCredentials credentials(SslBundle bundle, String name, String property, String purpose) {
        KeyStore keys = bundle.getStores().getKeyStore();
        if (keys == null || firstKeyAlias(keys) == null) {
            throw new IllegalStateException(property + " names SSL bundle '" + name + "', which has no private key: "
                    + purpose + " need this side's certificate and key (spring.ssl.bundle.pem." + name
                    + ".keystore.certificate and .private-key, or a spring.ssl.bundle.jks." + name + ".keystore)");
        }
        if (bundle.getStores().getTrustStore() == null) {
            // Without one the JDK's public CAs would be trusted: anyone with a web certificate could join.
            throw new IllegalStateException(property + " names SSL bundle '" + name + "', which has no trust store: "
                    + "set spring.ssl.bundle.pem." + name + ".truststore.certificate to the cluster's CA certificate "
                    + "(or a spring.ssl.bundle.jks." + name + ".truststore)");
        }
        String[] protocols = bundle.getOptions().getEnabledProtocols();
        String[] ciphers = bundle.getOptions().getCiphers();
        try {
            return new TlsCredentials(
                    bundle.getManagers().getKeyManagerFactory(),
                    bundle.getManagers().getTrustManagerFactory(),
                    protocols == null ? List.of() : Arrays.asList(protocols),
                    ciphers == null ? List.of() : Arrays.asList(ciphers));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    property + " names SSL bundle '" + name + "': " + e.getMessage() + " (spring.ssl.bundle.*." + name
                            + ".options.enabled-protocols)",
                    e);
        }
    }

    private static String firstKeyAlias(KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return alias;
                }
            }
            return null;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("cannot read the key store: " + e.getMessage(), e);
        }
    }

    /** Subject, serial and expiry of the bundle's certificate: what an operator checks after a rotation. */
    private static String describe(SslBundle bundle) {
        KeyStore keys = bundle.getStores().getKeyStore();
        try {
            String alias = bundle.getKey().getAlias() != null ? bundle.getKey().getAlias() : firstKeyAlias(keys);
            Certificate certificate = alias == null ? null : keys.getCertificate(alias);
            if (certificate instanceof X509Certificate x509) {
                return "certificate " + x509.getSubjectX500Principal().getName() + " serial "
                        + x509.getSerialNumber().toString(16) + " valid until "
                        + x509.getNotAfter().toInstant();
            }
            return "certificate of alias " + alias;
        } catch (KeyStoreException e) {
            return "a key store that cannot be read (" + e.getMessage() + ")";
        }
    }
}
