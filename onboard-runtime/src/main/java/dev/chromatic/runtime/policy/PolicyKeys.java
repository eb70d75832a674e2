package dev.chromatic.runtime.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Ed25519 keys for signing policies (JDK built-in): generation, PEM files (PKCS#8 private,
 * X.509 public) and the key id, the first 16 hex digits of SHA-256 of the X.509 encoding.
 */
public final class PolicyKeys {

    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    private static final long MAX_KEY_FILE_BYTES = 16 * 1024;

    private PolicyKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    public static String keyId(PublicKey key) {
        byte[] enc = key.getEncoded();
        return HexFormat.of().formatHex(PolicyEnvelope.sha256(enc, 0, enc.length)).substring(0, PolicyEnvelope.KEY_ID_BYTES);
    }

    public static String toPem(PrivateKey key) {
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    public static String toPem(PublicKey key) {
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    /** Writes the private key as PKCS#8 PEM, readable by the owner only where the file system allows. */
    public static void savePrivate(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, toPem(key), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    public static void savePublic(Path file, PublicKey key) throws IOException {
        Files.writeString(file, toPem(key), StandardCharsets.US_ASCII);
    }

    public static PrivateKey loadPrivate(Path file) throws IOException, PolicyFormatException {
        byte[] der = readPem(file, PRIVATE_LABEL);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PolicyFormatException("private key " + file.getFileName(), "not an Ed25519 PKCS#8 key");
        }
    }

    public static PublicKey loadPublic(Path file) throws IOException, PolicyFormatException {
        byte[] der = readPem(file, PUBLIC_LABEL);
        return publicFromX509(der, "public key " + file.getFileName());
    }

    static PublicKey publicFromX509(byte[] der, String field) throws PolicyFormatException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PolicyFormatException(field, "not an Ed25519 X.509 key");
        }
    }

    private static byte[] readPem(Path file, String label) throws IOException, PolicyFormatException {
        if (Files.size(file) > MAX_KEY_FILE_BYTES) {
            throw new PolicyFormatException("key file " + file.getFileName(), "larger than " + MAX_KEY_FILE_BYTES + " bytes");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int a = text.indexOf(begin);
        int b = text.indexOf(end);
        if (a < 0 || b < a) {
            throw new PolicyFormatException("key file " + file.getFileName(), "no PEM block '" + label + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(a + begin.length(), b));
        } catch (IllegalArgumentException e) {
            throw new PolicyFormatException("key file " + file.getFileName(), "bad base64 in the PEM block");
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** {@code keys} by key id. */
    public static Map<String, PublicKey> byId(PublicKey... keys) {
        Map<String, PublicKey> m = new TreeMap<>();
        for (PublicKey k : keys) {
            m.put(keyId(k), k);
        }
        return m;
    }

    /**
     * Every {@code *.pub} PEM file of {@code dir} by key id; a bad {@code .pub} file fails the load
     * (naming it), any other file goes to {@code ignored} (hidden files silently).
     */
    public static Map<String, PublicKey> loadDirectory(Path dir, Consumer<Path> ignored)
            throws IOException, PolicyFormatException {
        Map<String, PublicKey> m = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (!name.endsWith(".pub") || !Files.isRegularFile(f)) {
                    ignored.accept(f);
                    continue;
                }
                PublicKey k = loadPublic(f);
                m.put(keyId(k), k);
            }
        }
        return m;
    }
}
