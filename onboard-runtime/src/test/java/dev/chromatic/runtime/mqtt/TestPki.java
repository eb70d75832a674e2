package dev.chromatic.runtime.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for TLS tests, made with {@code openssl} (EC P-256 keys, PEM,
 * unencrypted PKCS#8 keys as Mosquitto and {@code --tls-key} take them) and the JDK's {@code keytool}
 * (the PKCS12 trust store a robot's {@code mqtt.tls.truststore} takes). Everything lives in one folder
 * and is valid for two days. {@link #available()} is false where openssl is missing.
 */
public final class TestPki {

    /** Password of every PKCS12 store made here. */
    public static final String STORE_PASSWORD = "changeit";
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    /** A certificate with its key: PEM files, and the PKCS12 bundle of both. */
    public record Issued(Path cert, Path key, Path pkcs12) {
    }

    private final Path dir;
    private final String name;
    private final Path caCert;
    private final Path caKey;
    private final Path trustStore;
    private int serial = 1;

    public static boolean available() {
        boolean ok = Files.isExecutable(OPENSSL);
        if (!ok) {
            System.out.println("SKIPPED: " + OPENSSL + " not installed (apt-get install openssl); TLS tests not run");
        }
        return ok;
    }

    /** A new CA called {@code name} in {@code dir}. */
    public TestPki(Path dir, String name) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.name = name;
        caCert = dir.resolve(name + "-ca.pem");
        caKey = dir.resolve(name + "-ca.key");
        run(OPENSSL.toString(), "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2", "-subj", "/CN=" + name + " test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        trustStore = dir.resolve(name + "-trust.p12");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", name + "-ca", "-file", caCert.toString(), "-keystore", trustStore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
    }

    /** The CA certificate (PEM): Mosquitto's {@code cafile}, the tools' {@code --cafile}. */
    public Path caCert() {
        return caCert;
    }

    /** A PKCS12 trust store holding only this CA (password {@link #STORE_PASSWORD}). */
    public Path trustStore() {
        return trustStore;
    }

    /** A broker certificate for 127.0.0.1 and localhost. */
    public Issued server(String cn) throws IOException, InterruptedException {
        return issue(cn, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }

    /** A client certificate with common name {@code cn}. */
    public Issued client(String cn) throws IOException, InterruptedException {
        return issue(cn, "extendedKeyUsage=clientAuth\n");
    }

    private Issued issue(String cn, String extensions) throws IOException, InterruptedException {
        String base = name + "-" + cn;
        Path key = dir.resolve(base + ".key");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".pem");
        Path ext = dir.resolve(base + ".ext");
        Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" + extensions,
                StandardCharsets.US_ASCII);
        run(OPENSSL.toString(), "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        run(OPENSSL.toString(), "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-set_serial", Integer.toString(++serial), "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        Path p12 = dir.resolve(base + ".p12");
        run(OPENSSL.toString(), "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-name", cn,
                "-out", p12.toString(), "-passout", "pass:" + STORE_PASSWORD);
        return new Issued(cert, key, p12);
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
