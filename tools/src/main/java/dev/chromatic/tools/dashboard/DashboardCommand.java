package dev.chromatic.tools.dashboard;

import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.RobotOnBroker;
import dev.chromatic.tools.cmd.OperatorSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chromatic dashboard}: serves a live page of one robot (state, policy, attitude, motors,
 * loop timing, telemetry loss, events) with arm, disarm, reset and E-stop buttons. Prints the page's
 * URL on standard output and serves until interrupted (or {@code --seconds}). Exit 1 when the broker
 * or the port cannot be reached, 2 bad usage.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve a live web page of one robot: state, policy, attitude, body rates,",
                "motor targets and action, loop rate and lateness, telemetry loss, events;",
                "buttons arm, disarm, reset and E-stop (space bar: E-stop; a gamepad too).",
                "With --key the server signs commands and sends the operator heartbeat while",
                "a page is open; without it only E-stop is sent. Loopback unless --bind says",
                "otherwise; then the printed URL carries a login token. See docs/dashboard.md."})
public final class DashboardCommand implements Callable<Integer> {

    @Mixin
    RobotOnBroker target = new RobotOnBroker();

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to serve on (default: ${DEFAULT-VALUE}). Off loopback every request needs the "
                    + "login token of the printed URL; the HTTP is plain: on an untrusted network keep loopback and "
                    + "use an SSH tunnel.")
    String bind;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Operator private key (<keyid>.key): lets the page arm, disarm and reset. Never sent to the browser.")
    Path key;

    @Option(names = "--pub", paramLabel = "FILE", description = "Its public key (default: FILE with the suffix .pub).")
    Path pub;

    @Option(names = "--seconds", paramLabel = "S", description = "Serve S seconds, then stop (default: until interrupted).")
    Double seconds;

    @Override
    public Integer call() throws Exception {
        String robot = target.robot();
        String broker = target.broker();
        BrokerOptions brokerOptions = target.options();
        if (seconds != null && !(seconds > 0 && seconds <= 30 * 86_400)) {
            throw new BadInputException("--seconds must be in (0, 2592000], was " + seconds);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new BadInputException("--bind '" + bind + "': unknown address");
        }
        OperatorSigner signer = key == null ? null : OperatorSigner.load(key, pub, robot);
        DashboardServer server;
        try {
            server = DashboardServer.start(new DashboardServer.Settings(robot, broker, brokerOptions, address, port, signer));
        } catch (IOException e) {
            System.err.println("chromatic dashboard: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "dashboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (server) {
            System.out.println("chromatic dashboard: " + server.url() + " (robot " + robot + " at " + broker + ", "
                    + (signer == null ? "read-only: E-stop only" : "operator key " + signer.keyId()) + ")");
            System.out.flush();
            if (seconds == null) {
                stop.await();
            } else {
                stop.await(Math.round(seconds * 1000), TimeUnit.MILLISECONDS);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping
            }
        }
        return 0;
    }
}
