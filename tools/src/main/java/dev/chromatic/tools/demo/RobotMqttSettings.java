package dev.chromatic.tools.demo;

import dev.chromatic.tools.broker.BrokerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code mqtt.*} lines of a robot.properties that let a robot started by the tools reach the
 * broker the way the tools' own clients do with {@link BrokerOptions}. The robot takes Java key
 * stores where the tools take PEM files, so {@code --cafile} becomes a PKCS12 trust store and
 * {@code --tls-cert}/{@code --tls-key} a PKCS12 key store in the robot's folder, each under a fresh
 * random password that only that robot.properties knows.
 */
final class RobotMqttSettings {

    static final String TRUST_STORE = "mqtt-truststore.p12";
    static final String KEY_STORE = "mqtt-keystore.p12";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RobotMqttSettings() {
    }

    /**
     * The lines for {@code brokerUrl} with {@code options}, writing the key stores they name into
     * {@code dir} (owner-only where the file system has POSIX permissions). The options must have
     * been checked against the URL ({@link BrokerOptions#connectOptions}).
     */
    static String properties(String brokerUrl, BrokerOptions options, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("mqtt.url=" + brokerUrl);
        if (brokerUrl.startsWith("tcp://") && !isLoopback(brokerUrl)) {
            // the robot refuses plain tcp:// off this machine unless told; the operator asked for it by name
            lines.add("# plain tcp:// to another host, as asked with --broker: nothing on this link is encrypted");
            lines.add("mqtt.insecure=true");
        }
        if (options.username() != null) {
            lines.add("mqtt.username=" + escape(options.username()));
        }
        if (options.passwordFile() != null) {
            lines.add("mqtt.password_file=" + escape(options.passwordFile().toAbsolutePath().toString()));
        }
        KeyStore trust = options.trustStore();
        if (trust != null) {
            char[] password = randomPassword();
            Path file = dir.resolve(TRUST_STORE);
            writeOwnerOnly(file, store(trust, password));
            lines.add("mqtt.tls.truststore=" + escape(file.toAbsolutePath().toString()));
            lines.add("mqtt.tls.truststore_password=" + new String(password));
        }
        char[] keyPassword = randomPassword();
        KeyStore keys = options.keyStore(keyPassword);
        if (keys != null) {
            Path file = dir.resolve(KEY_STORE);
            writeOwnerOnly(file, store(keys, keyPassword));
            lines.add("mqtt.tls.keystore=" + escape(file.toAbsolutePath().toString()));
            lines.add("mqtt.tls.keystore_password=" + new String(keyPassword));
        }
        lines.add("");
        return String.join(System.lineSeparator(), lines);
    }

    /**
     * Writes {@code bytes} to a new {@code file} readable by its owner only where the file system
     * has POSIX permissions: it holds a key or the passwords of the key stores.
     */
    static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.write(file, bytes);
    }

    private static byte[] store(KeyStore ks, char[] password) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ks.store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write a PKCS12 store: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** 128 random bits, URL-safe base64: nothing in it needs escaping in a properties file. */
    private static char[] randomPassword() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static boolean isLoopback(String url) {
        String host = url.substring(url.indexOf("://") + 3).split(":")[0];
        return host.equalsIgnoreCase("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** A properties value: backslashes (Windows paths) and line breaks must not change its meaning. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}
