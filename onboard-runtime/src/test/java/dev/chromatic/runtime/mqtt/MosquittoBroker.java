package dev.chromatic.runtime.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for integration tests, on a free loopback port, with a password file
 * (users {@code robot}, a second robot {@code robot2} and {@code operator}) and an ACL that confines
 * each robot to its own topics ({@code robot2} to those of {@link #OTHER_ROBOT_ID}). Optionally a
 * second, TLS listener ({@link Tls}) and a packet cap ({@code max_packet_size}).
 * {@link #available()} is false where mosquitto is not installed; tests then skip with a message.
 */
public final class MosquittoBroker implements AutoCloseable {

    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    public static final String ROBOT_USER = "robot";
    public static final String ROBOT_PASSWORD = "robot-secret";
    public static final String ROBOT2_USER = "robot2";
    public static final String ROBOT2_PASSWORD = "robot2-secret";
    public static final String OTHER_ROBOT_ID = "r2";
    public static final String OPERATOR_USER = "operator";
    public static final String OPERATOR_PASSWORD = "operator-secret";

    /**
     * A TLS listener: the CA that verifies client certificates, the broker's certificate and key
     * (PEM), and whether a client must show a certificate ({@code require_certificate}).
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, boolean requireCertificate) {
    }

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private Process process;

    public static boolean available() {
        boolean ok = Files.isExecutable(MOSQUITTO) && Files.isExecutable(PASSWD);
        if (!ok) {
            System.out.println("SKIPPED: " + MOSQUITTO + " or " + PASSWD
                    + " not installed (apt-get install mosquitto); MQTT integration tests not run");
        }
        return ok;
    }

    public MosquittoBroker(Path dir, String robotId) throws IOException, InterruptedException {
        this(dir, robotId, null, 0);
    }

    /**
     * @param tls a TLS listener besides the plain one (null: none)
     * @param maxPacketBytes Mosquitto's {@code max_packet_size} (0: Mosquitto's default, no cap)
     */
    public MosquittoBroker(Path dir, String robotId, Tls tls, int maxPacketBytes) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.port = freePort();
        this.tlsPort = tls == null ? -1 : freePort();
        Path pw = dir.resolve("passwd");
        run(PASSWD.toString(), "-b", "-c", pw.toString(), ROBOT_USER, ROBOT_PASSWORD);
        run(PASSWD.toString(), "-b", pw.toString(), ROBOT2_USER, ROBOT2_PASSWORD);
        run(PASSWD.toString(), "-b", pw.toString(), OPERATOR_USER, OPERATOR_PASSWORD);
        Path acl = dir.resolve("acl");
        Files.writeString(acl, String.join("\n",
                "user " + ROBOT_USER,
                "topic write chromatic/" + robotId + "/state",
                "topic write chromatic/" + robotId + "/telemetry",
                "topic write chromatic/" + robotId + "/telemetry/json",
                "topic write chromatic/" + robotId + "/events",
                "topic read chromatic/" + robotId + "/cmd",
                "topic read chromatic/" + robotId + "/policy",
                "",
                "user " + ROBOT2_USER,
                "topic write chromatic/" + OTHER_ROBOT_ID + "/state",
                "topic write chromatic/" + OTHER_ROBOT_ID + "/telemetry",
                "topic write chromatic/" + OTHER_ROBOT_ID + "/events",
                "topic read chromatic/" + OTHER_ROBOT_ID + "/cmd",
                "topic read chromatic/" + OTHER_ROBOT_ID + "/policy",
                "",
                "user " + OPERATOR_USER,
                "topic readwrite chromatic/#",
                ""));
        Files.createDirectories(dir.resolve("data"));
        List<String> conf = new java.util.ArrayList<>(List.of(
                "per_listener_settings false",
                "allow_anonymous false",
                "password_file " + pw,
                "acl_file " + acl,
                "persistence true",
                "persistence_location " + dir.resolve("data") + "/",
                "autosave_interval 1",
                "user " + System.getProperty("user.name"),
                "log_dest stderr",
                "listener " + port + " 127.0.0.1"));
        if (maxPacketBytes > 0) {
            conf.add(conf.size() - 1, "max_packet_size " + maxPacketBytes);
        }
        if (tls != null) {
            conf.addAll(List.of(
                    "listener " + tlsPort + " 127.0.0.1",
                    "cafile " + tls.caFile(),
                    "certfile " + tls.certFile(),
                    "keyfile " + tls.keyFile(),
                    "require_certificate " + tls.requireCertificate()));
        }
        conf.add("");
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", conf));
        start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Starts (or restarts) the broker on the same ports and waits until they accept connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(MOSQUITTO.toString(), "-c", dir.resolve("mosquitto.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        awaitPort(port);
        if (tlsPort > 0) {
            awaitPort(tlsPort);
        }
    }

    private void awaitPort(int p) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto exited: " + log());
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not open port " + p);
    }

    /** What the broker logged so far (for failure messages). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("mosquitto.log"));
    }

    /** Stops the broker: SIGTERM (orderly shutdown) or SIGKILL (crash). */
    void stop(boolean crash) throws InterruptedException {
        if (process == null) {
            return;
        }
        if (crash) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** The plain listener, {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The TLS listener, {@code ssl://127.0.0.1:PORT}. */
    public String tlsUrl() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this broker has no TLS listener");
        }
        return "ssl://127.0.0.1:" + tlsPort;
    }

    @Override
    public void close() throws InterruptedException {
        stop(true);
    }
}
