package org.orleans4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.orleans4j.messaging.TlsCredentials;

/**
 * Certificate authorities and certificates made in the test (EC P-256, as cert-manager issues by
 * default for ECDSA), for mutual TLS between silos and clients: a CA per "cluster", and node
 * certificates it signs for both TLS roles (a silo is server and client) with 127.0.0.1 and
 * localhost as alternative names. Written as PEM files for Spring's SSL bundles, or used directly
 * as key and trust managers.
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {}

    /** A self-signed certificate authority named {@code CN=<name>}, valid for a day. */
    public static Authority authority(String name) {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serial(),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(Duration.ofDays(1))),
                            subject,
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new Authority(name, keys, sign(builder, keys));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not make CA " + name, e);
        }
    }

    /** Trust managers that accept certificates of any of {@code authorities} (a CA rotation in progress). */
    public static TrustManagerFactory trusting(Authority... authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (Authority authority : authorities) {
                store.setCertificateEntry(authority.name(), authority.certificate());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the certificates of {@code authorities} into one PEM file: a trust store for all of them. */
    public static Path writePem(Path file, Authority... authorities) {
        StringBuilder content = new StringBuilder();
        for (Authority authority : authorities) {
            content.append(pem("CERTIFICATE", encoded(authority.certificate())));
        }
        writeAtomically(file, content.toString());
        return file;
    }

    /** Key managers with no key at all: a peer that presents no certificate. */
    public static KeyManagerFactory noKey() {
        try {
            KeyStore empty = KeyStore.getInstance("PKCS12");
            empty.load(null, null);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(empty, new char[0]);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate authority: it issues node certificates and is the trust anchor of its cluster. */
    public record Authority(String name, KeyPair keys, X509Certificate certificate) {

        /** A node certificate {@code CN=<commonName>} for 127.0.0.1 and localhost, signed by this CA. */
        public Issued issue(String commonName) {
            KeyPair node = newKeyPair();
            Instant now = Instant.now();
            try {
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                                certificate,
                                serial(),
                                Date.from(now.minus(Duration.ofHours(1))),
                                Date.from(now.plus(Duration.ofDays(1))),
                                new X500Name("CN=" + commonName),
                                node.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                        }))
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                        }))
                        .addExtension(
                                Extension.authorityKeyIdentifier,
                                false,
                                extensions.createAuthorityKeyIdentifier(certificate));
                return new Issued(commonName, node, sign(builder, keys), this);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("could not issue a certificate for " + commonName, e);
            }
        }

        /** Trust managers that accept certificates of this CA only. */
        public TrustManagerFactory trustManagers() {
            return trusting(this);
        }

        /** Writes this CA's certificate as PEM to {@code file} (atomically: a watcher never sees half a file). */
        public Path writePem(Path file) {
            return TestCertificates.writePem(file, this);
        }
    }

    /** A node certificate with its key, and the CA that signed it. */
    public record Issued(String commonName, KeyPair keys, X509Certificate certificate, Authority issuer) {

        /** This node's credentials, trusting its own CA only: what a silo or client of that cluster uses. */
        public TlsCredentials credentials() {
            return new TlsCredentials(keyManagers(), issuer.trustManagers());
        }

        /** Key managers holding this certificate (and its CA's, as the chain) and the key. */
        public KeyManagerFactory keyManagers() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(
                        "node", keys.getPrivate(), new char[0], new Certificate[] {certificate, issuer.certificate()});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, new char[0]);
                return factory;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Writes the certificate chain (this certificate, then its CA's) and the PKCS#8 private key as
         * PEM files, each replaced atomically.
         */
        public void writePem(Path certificateFile, Path keyFile) {
            writeAtomically(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            writeAtomically(
                    certificateFile,
                    pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer.certificate())));
        }

        /** Writes a PKCS#12 key store with the key and chain, and returns the file. */
        public Path writePkcs12(Path file, String password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("node", keys.getPrivate(), password.toCharArray(), new Certificate[] {
                    certificate, issuer.certificate()
                });
                try (var out = Files.newOutputStream(file)) {
                    store.store(out, password.toCharArray());
                }
                return file;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a certificate", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", ".pem");
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
