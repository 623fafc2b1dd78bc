package kz.qatysu.cluster;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A certificate authority made for one test run with openssl, and nginx's certificate for {@code localhost} /
 * {@code 127.0.0.1} signed by it. Java clients trust it through {@link #sslContext()}; Chromium through
 * {@code --ignore-certificate-errors-spki-list} with {@link #serverSpkiSha256()} (no NSS database needed).
 */
final class TestCa {
    final Path caCert;
    final Path serverCert;
    final Path serverKey;

    private TestCa(Path caCert, Path serverCert, Path serverKey) {
        this.caCert = caCert;
        this.serverCert = serverCert;
        this.serverKey = serverKey;
    }

    static TestCa create(Path dir) throws Exception {
        Files.createDirectories(dir);
        String openssl = "/usr/bin/openssl";
        Commands.run(dir, List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=Qatysu cluster test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        Commands.run(dir, List.of(openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost"));
        Files.writeString(dir.resolve("server.ext"), """
                basicConstraints=CA:FALSE
                keyUsage=critical,digitalSignature,keyEncipherment
                extendedKeyUsage=serverAuth
                subjectAltName=DNS:localhost,IP:127.0.0.1
                """);
        Commands.run(dir, List.of(openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"));
        return new TestCa(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"));
    }

    /** TLS that trusts this CA only. */
    SSLContext sslContext() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("qatysu-test-ca", read(caCert));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** base64 SHA-256 of the server certificate's SubjectPublicKeyInfo, as Chromium's SPKI allow list takes it. */
    String serverSpkiSha256() throws Exception {
        byte[] spki = read(serverCert).getPublicKey().getEncoded();
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
