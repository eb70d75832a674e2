package dev.chromatic.tools.run;

import io.moquette.broker.Server;
import io.moquette.broker.config.FluentConfig;
import io.moquette.broker.config.IConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * An in-process MQTT 3.1.1 broker (Moquette 0.17) for runs without a configured broker: anonymous,
 * no persistence, no usage telemetry, bound to one host and port.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Largest MQTT message accepted: room for a policy file of the robot's default size cap (1 MiB). */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;

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
        IConfig config = new FluentConfig().host(host).port(p).disablePersistence().allowAnonymous()
                .disableTelemetry().build();
        config.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        b.server.startServer(config);
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
