package dev.chromatic.tools.run;

import dev.chromatic.tools.BadInputException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic broker}: a standalone in-process MQTT broker (Moquette) until stopped. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run an MQTT 3.1.1 broker (embedded Moquette: anonymous, no persistence) until Ctrl-C.",
                "For robots and tools on a bench; use Mosquitto with passwords and an ACL on a real network."})
public final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "1883", description = "TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new BadInputException("--port must be in 1..65535, was " + port);
        }
        EmbeddedBroker broker;
        try {
            broker = EmbeddedBroker.start(host, port);
        } catch (java.io.IOException | RuntimeException e) {
            throw new BadInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.countDown();
        }));
        System.out.println("chromatic broker: listening on " + broker.url() + " (Ctrl-C to stop)");
        stop.await();
        return 0;
    }
}
