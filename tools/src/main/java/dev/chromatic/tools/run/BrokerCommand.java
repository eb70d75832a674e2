package dev.chromatic.tools.run;

import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic broker}: a standalone in-process MQTT broker (Moquette) until stopped. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run an MQTT 3.1.1 broker (embedded Moquette, no persistence) until Ctrl-C: on loopback and "
                + "anonymous by default, or with a password file.",
                "For robots and tools on a bench; use Mosquitto with TLS, passwords and an ACL on a real network."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "1883", description = "TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Admit only the users of FILE: one user:sha256hex line each (SHA-256 of the password, "
                    + "e.g. printf %%s 'PASSWORD' | sha256sum); anonymous clients are refused.")
    Path passwordFile;

    @Option(names = "--allow-anonymous",
            description = "Bind to an address other than loopback without --password-file (anyone who reaches it "
                    + "can read telemetry and send E-stops and policies).")
    boolean allowAnonymous;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new BadInputException("--port must be in 1..65535, was " + port);
        }
        BrokerPasswords passwords = null;
        if (passwordFile != null) {
            try {
                passwords = BrokerPasswords.load(passwordFile);
            } catch (IOException e) {
                throw new BadInputException("--password-file " + e.getMessage(), e);
            }
        }
        if (passwords == null && !allowAnonymous && !isLoopback(host)) {
            throw new BadInputException("--host " + host + " is reachable from the network: give --password-file, or "
                    + "--allow-anonymous for a network you trust");
        }
        EmbeddedBroker broker;
        try {
            broker = EmbeddedBroker.start(host, port, passwords);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.countDown();
        }));
        System.out.println("chromatic broker: listening on " + broker.url()
                + (passwords == null ? " (anonymous)" : " (" + passwords.size() + " users from " + passwordFile + ")")
                + " (Ctrl-C to stop)");
        stop.await();
        return 0;
    }

    /** A loopback address: a name that resolves only to loopback, e.g. localhost or 127.0.0.1. */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
