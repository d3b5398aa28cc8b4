package org.orleans4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.orleans4j.messaging.SslContextTransportSecurity;
import org.orleans4j.messaging.TlsCredentials;
import org.orleans4j.testing.TestCertificates.Authority;
import org.orleans4j.testing.TestCertificates.Issued;

/**
 * Hands TLS key material to the far silo's JVM: PKCS#12 files in a directory, {@code <name>.p12}
 * with a node's key and chain and {@code trust.p12} with the CA, which the JDK reads without help.
 */
final class TlsKeyMaterial {

    private static final String PASSWORD = "bench";

    private TlsKeyMaterial() {}

    /** Writes {@code node}'s key store as {@code <name>.p12} and its CA's trust store into {@code dir}. */
    static void write(Path dir, String name, Issued node) throws IOException, GeneralSecurityException {
        node.writePkcs12(dir.resolve(name + ".p12"), PASSWORD);
        Authority ca = node.issuer();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    /** The transport security of node {@code name} from the files {@link #write} made. */
    static SslContextTransportSecurity read(Path dir, String name) throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(dir.resolve(name + ".p12")), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(dir.resolve("trust.p12")));
        return new SslContextTransportSecurity(new TlsCredentials(keys, trust), "benchmark key material in " + dir);
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
