package dev.chromatic.tools.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.broker.BrokerSession.BrokerException;
import dev.chromatic.tools.run.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A broker that drops a connection during the MQTT handshake gets one more attempt, never more,
 * through a TCP relay in front of a real broker that closes the first {@code drops} connections
 * as soon as their CONNECT arrives.
 */
class BrokerSessionConnectTest {

    /** Relays TCP to {@code target}, closing the first {@code drops} connections after their first bytes. */
    private static final class DroppingRelay implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();
        final Thread acceptor;

        DroppingRelay(int targetPort, int drops) throws IOException {
            server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket in = server.accept();
                        if (accepted.incrementAndGet() <= drops) {
                            in.getInputStream().read(new byte[64]);
                            in.close();
                            continue;
                        }
                        Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                        pump(in.getInputStream(), out.getOutputStream(), in, out);
                        pump(out.getInputStream(), in.getOutputStream(), in, out);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "dropping-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void pump(InputStream from, OutputStream to, Socket a, Socket b) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = from.read(buf)) >= 0; ) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                } catch (IOException e) {
                    // one side closed: close both
                }
                try {
                    a.close();
                    b.close();
                } catch (IOException e) {
                    // already closed
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        String url() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static int port(EmbeddedBroker broker) {
        return URI.create(broker.url()).getPort();
    }

    @Test
    void aConnectionDroppedInTheHandshakeIsTriedOnceMore() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
             DroppingRelay relay = new DroppingRelay(port(broker), 1);
             BrokerSession session = BrokerSession.connect(relay.url(), "test", 5)) {
            session.subscribe("t/#");
            session.publish("t/x", new byte[] {1}, false);
            assertTrue(session.poll(5_000_000_000L) != null, "the second connection works");
            assertEquals(2, relay.accepted.get());
        }
    }

    @Test
    void aBrokerThatKeepsDroppingIsReportedAfterTheSecondAttempt() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
             DroppingRelay relay = new DroppingRelay(port(broker), Integer.MAX_VALUE)) {
            BrokerException e = assertThrows(BrokerException.class, () -> BrokerSession.connect(relay.url(), "test", 5));
            assertTrue(e.getMessage().startsWith("cannot connect to broker " + relay.url()), e.getMessage());
            assertEquals(2, relay.accepted.get(), "one retry, no more");
        }
    }

    @Test
    void noBrokerListeningIsReportedNamingTheAddress() throws Exception {
        try (java.net.ServerSocket nothing = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = nothing.getLocalPort();
            nothing.close();
            // nobody listens: refused at the TCP level, reported with the address
            BrokerException e = assertThrows(BrokerException.class,
                    () -> BrokerSession.connect("tcp://127.0.0.1:" + port, "test", 2));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }
}
