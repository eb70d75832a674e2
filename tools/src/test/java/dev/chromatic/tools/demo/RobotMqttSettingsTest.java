package dev.chromatic.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.runtime.config.RobotConfig;
import dev.chromatic.runtime.mqtt.MqttLink;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.mqtt.TestPki;
import dev.chromatic.tools.broker.BrokerOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot the demo starts reaches a broker with the tools' PEM options: its robot.properties
 * passes the robot's own checks, and the PKCS12 stores made from {@code --cafile} and
 * {@code --tls-cert}/{@code --tls-key} hold exactly those certificates and that key, under the
 * random passwords written next to them, readable by their owner only.
 */
class RobotMqttSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void pemOptionsBecomePkcs12StoresTheRobotAccepts() throws Exception {
        assumeTrue(TestPki.available(), "openssl not installed");
        TestPki ca = new TestPki(tmp.resolve("pki"), "fleet");
        TestPki.Issued client = ca.client("operator");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "s3cret\n");
        Path dir = Files.createDirectories(tmp.resolve("robot"));
        BrokerOptions options = BrokerOptions.of("operator", pw, ca.caCert(), client.cert(), client.key());

        RobotConfig config = load(dir, RobotMqttSettings.properties("ssl://127.0.0.1:8883", options, dir));

        MqttSettings mqtt = config.mqtt();
        assertEquals("ssl://127.0.0.1:8883", mqtt.serverUri());
        assertEquals("operator", mqtt.username());
        assertEquals("s3cret", new String(mqtt.password()));
        assertEquals(dir.resolve(RobotMqttSettings.TRUST_STORE).toAbsolutePath(), mqtt.trustStore());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(mqtt.trustStore())) {
            trust.load(in, mqtt.trustStorePassword());
        }
        assertEquals(1, trust.size());
        String alias = trust.aliases().nextElement();
        assertTrue(trust.isCertificateEntry(alias), "a trusted certificate, not a key");
        assertEquals(pem(ca.caCert()), trust.getCertificate(alias));

        KeyStore keys = MqttLink.loadKeyStore(mqtt.keyStore(), mqtt.keyStorePassword());
        String keyAlias = keys.aliases().nextElement();
        assertEquals(pem(client.cert()), keys.getCertificate(keyAlias));
        assertTrue(signsFor((PrivateKey) keys.getKey(keyAlias, mqtt.keyStorePassword()), pem(client.cert())),
                "the key of --tls-key, belonging to the certificate");

        assertNotEquals(new String(mqtt.trustStorePassword()), new String(mqtt.keyStorePassword()), "a password each");
        assertTrue(mqtt.keyStorePassword().length >= 20, "random passwords: " + mqtt.keyStorePassword().length);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            for (Path f : new Path[] {mqtt.trustStore(), mqtt.keyStore()}) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void plainTcpGetsCredentialsOnlyAndOffThisMachineSaysItIsInsecure() throws Exception {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "s3cret\n");
        BrokerOptions options = BrokerOptions.of("operator", pw, null, null, null);
        Path dir = Files.createDirectories(tmp.resolve("robot"));

        String local = RobotMqttSettings.properties("tcp://127.0.0.1:1883", options, dir);
        MqttSettings mqtt = load(dir, local).mqtt();
        assertEquals("operator", mqtt.username());
        assertNull(mqtt.trustStore());
        assertNull(mqtt.keyStore());
        assertFalse(local.contains("mqtt.insecure"), local);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.toString().endsWith(".p12")).count(), "no key stores without TLS");
        }

        String remote = RobotMqttSettings.properties("tcp://broker.example:1883", options, dir);
        assertTrue(remote.contains("mqtt.insecure=true"), remote);
        assertEquals("tcp://broker.example:1883", load(dir, remote).mqtt().serverUri());
    }

    /** A whole demo robot.properties with these mqtt lines, as the robot reads it. */
    private static RobotConfig load(Path dir, String mqttLines) throws Exception {
        Path store = Files.createDirectories(dir.resolve("policies"));
        Path trusted = Files.createDirectories(dir.resolve("trusted-keys"));
        Path file = dir.resolve("robot.properties");
        Files.writeString(file, RobotStart.robotProperties("demo", 9999, 10_000_000L, store, trusted) + mqttLines,
                StandardCharsets.UTF_8);
        return RobotConfig.load(file);
    }

    private static Certificate pem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static boolean signsFor(PrivateKey key, Certificate cert) throws Exception {
        byte[] probe = "probe".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(probe);
        return s.verify(sig);
    }
}
