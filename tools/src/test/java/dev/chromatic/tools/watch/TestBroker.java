package dev.chromatic.tools.watch;

import io.moquette.broker.Server;
import io.moquette.broker.config.FluentConfig;
import io.moquette.broker.config.IConfig;
import java.io.IOException;
import java.net.ServerSocket;

/** An in-process MQTT broker on a free local port for one test class. */
final class TestBroker implements AutoCloseable {

    private final Server server = new Server();
    private final int port;

    TestBroker() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        IConfig config = new FluentConfig().host("127.0.0.1").port(port).disablePersistence().allowAnonymous()
                .disableTelemetry().build();
        config.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(1 << 20));
        server.startServer(config);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
