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
 * (users {@code robot} and {@code operator}) and an ACL that confines the robot to its own topics.
 * {@link #available()} is false where mosquitto is not installed; tests then skip with a message.
 */
final class MosquittoBroker implements AutoCloseable {

    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    static final String ROBOT_USER = "robot";
    static final String ROBOT_PASSWORD = "robot-secret";
    static final String OPERATOR_USER = "operator";
    static final String OPERATOR_PASSWORD = "operator-secret";

    private final Path dir;
    private final int port;
    private Process process;

    static boolean available() {
        boolean ok = Files.isExecutable(MOSQUITTO) && Files.isExecutable(PASSWD);
        if (!ok) {
            System.out.println("SKIPPED: " + MOSQUITTO + " or " + PASSWD
                    + " not installed (apt-get install mosquitto); MQTT integration tests not run");
        }
        return ok;
    }

    MosquittoBroker(Path dir, String robotId) throws IOException, InterruptedException {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        Path pw = dir.resolve("passwd");
        run(PASSWD.toString(), "-b", "-c", pw.toString(), ROBOT_USER, ROBOT_PASSWORD);
        run(PASSWD.toString(), "-b", pw.toString(), OPERATOR_USER, OPERATOR_PASSWORD);
        Path acl = dir.resolve("acl");
        Files.writeString(acl, String.join("\n",
                "user " + ROBOT_USER,
                "topic write chromatic/" + robotId + "/state",
                "topic write chromatic/" + robotId + "/telemetry",
                "topic write chromatic/" + robotId + "/telemetry/json",
                "topic write chromatic/" + robotId + "/events",
                "topic read chromatic/" + robotId + "/cmd",
                "",
                "user " + OPERATOR_USER,
                "topic readwrite chromatic/#",
                ""));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + pw,
                "acl_file " + acl,
                "persistence true",
                "persistence_location " + dir.resolve("data") + "/",
                "autosave_interval 1",
                "user " + System.getProperty("user.name"),
                "log_dest stderr",
                ""));
        start();
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Starts (or restarts) the broker on the same port and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(MOSQUITTO.toString(), "-c", dir.resolve("mosquitto.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto did not open port " + port);
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

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop(true);
    }
}
