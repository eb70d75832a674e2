package dev.chromatic.tools.run;

import io.moquette.broker.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * An in-process MQTT 3.1.1 broker (Moquette 0.17) for runs without a configured broker: anonymous,
 * no persistence, no usage telemetry, bound to one host and port.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Server server = new Server();
    private final String host;
    private final int port;

    private EmbeddedBroker(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts a broker on {@code host:port} (port 0: a free port). */
    public static EmbeddedBroker start(String host, int port) throws IOException {
        int p = port;
        if (p == 0) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                p = s.getLocalPort();
            }
        }
        EmbeddedBroker b = new EmbeddedBroker(host, p);
        b.server.withConfig().host(host).port(p).disablePersistence().allowAnonymous().disableTelemetry()
                .startServer();
        return b;
    }

    /** {@code tcp://host:port}. */
    public String url() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
