package dev.chromatic.tools.broker;

import dev.chromatic.tools.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            try {
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                o.setPassword((lines.isEmpty() ? "" : lines.get(0).strip()).toCharArray());
            } catch (IOException e) {
                throw new BadInputException("--password-file " + passwordFile + ": cannot read: " + e.getMessage());
            }
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
                if (caFile != null) {
                    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                    trust.load(null, null);
                    int i = 0;
                    for (Certificate c : certificates(caFile, "--cafile")) {
                        trust.setCertificateEntry("ca-" + i++, c);
                    }
                    tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(trust);
                }
                KeyManagerFactory kmf = null;
                if (tlsCert != null) {
                    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                    ks.load(null, null);
                    char[] none = new char[0];
                    ks.setKeyEntry("client", privateKey(tlsKey), none,
                            certificates(tlsCert, "--tls-cert").toArray(new Certificate[0]));
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(ks, none);
                }
                ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
                o.setSocketFactory(ctx.getSocketFactory());
            } catch (GeneralSecurityException | IOException e) {
                throw new BadInputException("TLS setup failed: " + e.getMessage(), e);
            }
        }
        return o;
    }

    private static List<Certificate> certificates(Path file, String option) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
            if (certs.isEmpty()) {
                throw new BadInputException(option + " " + file + ": no certificate in it");
            }
            return new ArrayList<>(certs);
        } catch (IOException | GeneralSecurityException e) {
            throw new BadInputException(option + " " + file + ": not a PEM certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new BadInputException("--tls-key " + file + ": cannot read: " + e.getMessage());
        }
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
