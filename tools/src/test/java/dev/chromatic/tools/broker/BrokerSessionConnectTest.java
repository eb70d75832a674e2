package dev.chromatic.tools.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * How a tool's broker session connects and closes: a broker that drops the handshake (a TCP relay
 * in front of a real broker closes the first {@code drops} connections as soon as their CONNECT
 * arrives) is reported at once, and sessions that close mid-stream leave the broker intact.
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
    void aConnectionDroppedInTheHandshakeIsReportedAtOnceNamingTheCause() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
             DroppingRelay relay = new DroppingRelay(port(broker), 1)) {
            BrokerException e = assertThrows(BrokerException.class, () -> BrokerSession.connect(relay.url(), "test", 5));
            assertTrue(e.getMessage().startsWith("cannot connect to broker " + relay.url()), e.getMessage());
            assertTrue(e.getMessage().endsWith("(the broker closed the connection)"), e.getMessage());
            assertEquals(1, relay.accepted.get(), "one attempt: a second one would hide a broker that is failing");
        }
    }

    /**
     * Sessions that close while the broker streams QoS 1 messages to them never acknowledge after
     * their DISCONNECT, so the embedded broker keeps every session thread: clients of every id
     * still connect and receive afterwards. (Paho's own acknowledgement, sent from its callback
     * thread, could follow the DISCONNECT, and Moquette 0.17 then lost a session thread.)
     */
    @Test
    void sessionsClosingMidStreamLeaveTheBrokerServingEveryClient() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0);
             BrokerSession publisher = BrokerSession.connect(broker.url(), "publisher", 5)) {
            AtomicBoolean streaming = new AtomicBoolean(true);
            AtomicReference<Exception> streamFailure = new AtomicReference<>();
            Thread stream = new Thread(() -> {
                try {
                    while (streaming.get()) {
                        publisher.publish("robot/events", new byte[] {1, 2, 3}, false);
                        Thread.sleep(1);
                    }
                } catch (BrokerException | InterruptedException e) {
                    streamFailure.set(e);
                }
            }, "stream");
            stream.start();
            try {
                for (int i = 0; i < 40; i++) {
                    int cycle = i;
                    try (BrokerSession s = BrokerSession.connect(broker.url(), "reader", 5)) {
                        s.subscribe("robot/events");
                        assertNotNull(s.poll(5_000_000_000L), () -> "cycle " + cycle + " received the stream"
                                + (streamFailure.get() == null ? "" : "; the publisher failed: " + streamFailure.get()));
                    }
                }
            } finally {
                streaming.set(false);
                stream.join();
            }
            assertNull(streamFailure.get(), "the publisher streamed to the end");
            assertEquals(List.of(), broker.sessionThreadErrors());
            for (int i = 0; i < 8; i++) {
                try (BrokerSession s = BrokerSession.connect(broker.url(), "after", 5)) {
                    s.subscribe("after/" + i);
                    s.publish("after/" + i, new byte[] {(byte) i}, false);
                    assertNotNull(s.poll(5_000_000_000L), "client " + i + " is served");
                }
            }
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
