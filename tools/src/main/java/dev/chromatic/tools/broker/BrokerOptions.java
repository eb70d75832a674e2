package dev.chromatic.tools.broker;

import dev.chromatic.tools.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import picocli.CommandLine.Option;

/**
 * The broker options every CLI command that talks to a broker shares (a picocli mixin): user name
 * and password file, and for {@code ssl://} brokers the CA file that verifies the broker and a client
 * certificate with its key, all PEM, as Mosquitto's own clients take them ({@code --cafile},
 * {@code --cert}, {@code --key}). See docs/deploy.md.
 */
public final class BrokerOptions {

    @Option(names = "--username", paramLabel = "USER", description = "MQTT user name.")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the MQTT password (first line).")
    Path passwordFile;

    @Option(names = "--cafile", paramLabel = "FILE", description = "PEM CA certificate(s) that sign the broker's certificate (ssl:// only).")
    Path caFile;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM client certificate (ssl:// only; with --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    /** No credentials, no TLS material. */
    public static BrokerOptions none() {
        return new BrokerOptions();
    }

    /** Options for tests and in-process callers. */
    public static BrokerOptions of(String username, Path passwordFile, Path caFile, Path tlsCert, Path tlsKey) {
        BrokerOptions o = new BrokerOptions();
        o.username = username;
        o.passwordFile = passwordFile;
        o.caFile = caFile;
        o.tlsCert = tlsCert;
        o.tlsKey = tlsKey;
        return o;
    }

    /** True when none of these options was given. */
    public boolean isEmpty() {
        return username == null && passwordFile == null && caFile == null && tlsCert == null && tlsKey == null;
    }

    /** The {@code --username}, or null. */
    public String username() {
        return username;
    }

    /** The {@code --password-file}, or null. */
    public Path passwordFile() {
        return passwordFile;
    }

    /**
     * Paho connect options for {@code brokerUrl} with these credentials and TLS material.
     *
     * @throws BadInputException naming the option whose file is missing or unreadable, or a TLS option
     *     given for a plain tcp:// broker
     */
    public MqttConnectOptions connectOptions(String brokerUrl) {
        MqttConnectOptions o = new MqttConnectOptions();
        if (passwordFile != null && username == null) {
            throw new BadInputException("--password-file needs --username");
        }
        if (username != null) {
            o.setUserName(username);
        }
        if (passwordFile != null) {
            List<String> lines = new String(read(passwordFile, "--password-file"), StandardCharsets.UTF_8).lines().toList();
            o.setPassword((lines.isEmpty() ? "" : lines.get(0).strip()).toCharArray());
        }
        boolean tls = brokerUrl.startsWith("ssl://");
        if (!tls && (caFile != null || tlsCert != null || tlsKey != null)) {
            throw new BadInputException("--cafile, --tls-cert and --tls-key need an ssl:// broker, not " + brokerUrl);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new BadInputException("--tls-cert and --tls-key go together");
        }
        if (tls) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                TrustManagerFactory tmf = null;
                KeyStore trust = trustStore();
                if (trust != null) {
                    tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(trust);
                }
                KeyManagerFactory kmf = null;
                char[] none = new char[0];
                KeyStore ks = keyStore(none);
                if (ks != null) {
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(ks, none);
                }
                ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
                o.setSocketFactory(ctx.getSocketFactory());
            } catch (GeneralSecurityException e) {
                throw new BadInputException("TLS setup failed: " + e.getMessage(), e);
            }
        }
        return o;
    }

    /**
     * The {@code --cafile} certificates as a PKCS12 trust store, or null without {@code --cafile}.
     *
     * @throws BadInputException naming {@code --cafile} when it is missing or holds no PEM certificate
     */
    public KeyStore trustStore() {
        if (caFile == null) {
            return null;
        }
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(caFile, "--cafile")) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            return trust;
        } catch (GeneralSecurityException | IOException e) {
            throw new BadInputException("--cafile " + caFile + ": cannot make a trust store: " + e.getMessage(), e);
        }
    }

    /**
     * {@code --tls-cert} with the key of {@code --tls-key} as a PKCS12 key store, the key under
     * {@code password}; null without {@code --tls-cert}.
     *
     * @throws BadInputException naming the option whose file is missing or not PEM
     */
    public KeyStore keyStore(char[] password) {
        if (tlsCert == null) {
            return null;
        }
        if (tlsKey == null) {
            throw new BadInputException("--tls-cert and --tls-key go together");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", privateKey(tlsKey), password,
                    certificates(tlsCert, "--tls-cert").toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new BadInputException("--tls-cert " + tlsCert + " with --tls-key " + tlsKey + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of {@code file}; a missing or unreadable file is bad input naming {@code option}. */
    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(option + " " + file + ": cannot read: " + e.getMessage());
        }
    }

    private static List<Certificate> certificates(Path file, String option) {
        byte[] pem = read(file, option);
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            if (certs.isEmpty()) {
                throw new BadInputException(option + " " + file + ": no certificate in it");
            }
            return new ArrayList<>(certs);
        } catch (GeneralSecurityException e) {
            throw new BadInputException(option + " " + file + ": not a PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        String text = new String(read(file, "--tls-key"), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        int a = text.indexOf(begin);
        int b = text.indexOf("-----END PRIVATE KEY-----");
        if (a < 0 || b < a) {
            throw new BadInputException("--tls-key " + file + ": not a PEM PKCS#8 key (BEGIN PRIVATE KEY); convert with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(a + begin.length(), b));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new BadInputException("--tls-key " + file + ": not an RSA, EC or Ed25519 key");
    }
}
