package dev.chromatic.tools.run;

import io.moquette.broker.Server;
import io.moquette.broker.config.FluentConfig;
import io.moquette.broker.config.IConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptExceptionMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An in-process MQTT 3.1.1 broker (Moquette 0.17) for runs without a configured broker: no
 * persistence, no usage telemetry, bound to one host and port; anonymous, or with a password file
 * ({@link BrokerPasswords}) that every client must pass.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The robot's default {@code policy.max_file_bytes}: the largest payload the broker must carry. */
    public static final int MAX_POLICY_BYTES = 1 << 20;

    /**
     * Largest MQTT packet accepted, counted as Moquette counts it (the remaining length: topic,
     * packet id and payload): a policy file of {@link #MAX_POLICY_BYTES} on a topic of the longest
     * robot id fits, anything larger is refused and the connection closed. Every client of this
     * broker, the robot included, therefore never allocates more than this for one message.
     */
    public static final int MAX_MESSAGE_BYTES = MAX_POLICY_BYTES + 1024;

    private final Server server = new Server();
    private final String host;
    private final int port;

    private final BrokerEvents events = new BrokerEvents();

    private EmbeddedBroker(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Starts an anonymous broker on {@code host:port} (port 0: a free port). */
    public static EmbeddedBroker start(String host, int port) throws IOException {
        return start(host, port, null);
    }

    /**
     * Starts a broker on {@code host:port} (port 0: a free port) that admits only the users of
     * {@code passwords}, or anyone when it is null.
     */
    public static EmbeddedBroker start(String host, int port, BrokerPasswords passwords) throws IOException {
        int p = port;
        if (p == 0) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                p = s.getLocalPort();
            }
        }
        EmbeddedBroker b = new EmbeddedBroker(host, p);
        FluentConfig fluent = new FluentConfig().host(host).port(p).disablePersistence().disableTelemetry();
        IConfig config = (passwords == null ? fluent.allowAnonymous() : fluent.disallowAnonymous()).build();
        config.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(MAX_MESSAGE_BYTES));
        b.server.startServer(config, List.of(b.events), null, passwords, null);
        return b;
    }

    /**
     * Waits until some client has subscribed to exactly {@code topicFilter} (from then on, what is
     * published there reaches it); false when none did within {@code timeoutMs}.
     */
    public boolean awaitSubscription(String topicFilter, long timeoutMs) throws InterruptedException {
        return events.await(topicFilter, timeoutMs);
    }

    /**
     * The errors that stopped one of the broker's session threads, oldest first (empty while the
     * broker serves every client; see {@code AckGate} for the one our clients no longer provoke).
     */
    public List<String> sessionThreadErrors() {
        return events.loopErrors();
    }

    /** {@code tcp://host:port}. */
    public String url() {
        return "tcp://" + host + ":" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }

    /**
     * What the broker reports of itself: the topic filters clients have subscribed to, once
     * registered, and the errors that stopped a session thread.
     */
    private static final class BrokerEvents extends AbstractInterceptHandler {
        private final Set<String> filters = new HashSet<>();
        private final List<String> loopErrors = new ArrayList<>();

        @Override
        public String getID() {
            return "chromatic-subscriptions";
        }

        @Override
        public Class<?>[] getInterceptedMessageTypes() {
            return new Class<?>[] {InterceptSubscribeMessage.class, InterceptExceptionMessage.class};
        }

        @Override
        public synchronized void onSubscribe(InterceptSubscribeMessage message) {
            filters.add(message.getTopicFilter());
            notifyAll();
        }

        /**
         * Moquette 0.17 ends a session thread for good when one of its commands throws; every client
         * whose id hashes to that thread is then no longer served. Nothing can restart it: say so.
         */
        @Override
        public void onSessionLoopError(Throwable error) {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            synchronized (this) {
                loopErrors.add(root.toString());
            }
            System.err.println("chromatic: embedded broker: a session thread stopped on " + root
                    + "; clients assigned to it can no longer connect or receive: restart the broker");
        }

        synchronized List<String> loopErrors() {
            return List.copyOf(loopErrors);
        }

        synchronized boolean await(String filter, long timeoutMs) throws InterruptedException {
            long until = System.nanoTime() + timeoutMs * 1_000_000L;
            while (!filters.contains(filter)) {
                long leftMs = (until - System.nanoTime()) / 1_000_000L;
                if (leftMs <= 0) {
                    return false;
                }
                wait(leftMs);
            }
            return true;
        }
    }
}
