package dev.chromatic.tools.broker;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A short-lived MQTT connection for one CLI command: connect, subscribe into a queue, publish,
 * disconnect. Failures to reach the broker become one-line messages.
 */
public final class BrokerSession implements AutoCloseable {

    /** One received message. */
    public record Received(String topic, byte[] payload) {
    }

    private final MqttClient client;
    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();

    private BrokerSession(MqttClient client) {
        this.client = client;
    }

    /** Connects anonymously over plain TCP (a loopback or test broker). */
    public static BrokerSession connect(String brokerUrl, String role, int timeoutS) throws BrokerException {
        return connect(brokerUrl, role, timeoutS, BrokerOptions.none());
    }

    /** Connects with the shared broker options (credentials, TLS); bad option files are {@code BadInputException}s. */
    public static BrokerSession connect(String brokerUrl, String role, int timeoutS, BrokerOptions options)
            throws BrokerException {
        MqttConnectOptions o = options.connectOptions(brokerUrl);
        try {
            o.setCleanSession(true);
            o.setConnectionTimeout(Math.max(1, timeoutS));
            o.setAutomaticReconnect(false);
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            return new BrokerSession(connectClient(brokerUrl, role, o));
        } catch (MqttException | IllegalArgumentException e) {
            throw new BrokerException("cannot connect to broker " + brokerUrl + ": " + e.getMessage() + detail(e), e);
        }
    }

    /** What lies under a Paho error, in words: " (Connection refused)", " (the broker closed the connection)". */
    private static String detail(Exception e) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return "";
        }
        if (cause instanceof java.io.EOFException) {
            return " (the broker closed the connection)";
        }
        return cause.getMessage() == null || cause.getMessage().isBlank() ? "" : " (" + cause.getMessage() + ")";
    }

    /**
     * A connected client with a fresh id ({@code chromatic-ROLE-xxxxxxxx}). A broker that closes the
     * connection during the handshake, before answering the CONNECT at all (Paho's "Connection
     * lost"; seen now and then from the embedded broker on a loaded machine), gets one more
     * attempt with a new client; a refusal (bad credentials, not authorised), a timeout or any
     * other failure is reported at once.
     */
    public static MqttClient connectClient(String brokerUrl, String role, MqttConnectOptions o) throws MqttException {
        MqttException first = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            MqttClient c = new MqttClient(brokerUrl, "chromatic-" + role + "-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
            try {
                c.connect(o);
                return c;
            } catch (MqttException e) {
                try {
                    c.close(true);
                } catch (MqttException closing) {
                    e.addSuppressed(closing);
                }
                if (e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST || first != null) {
                    if (first != null) {
                        e.addSuppressed(first);
                    }
                    throw e;
                }
                first = e;
            }
        }
        throw first;
    }

    public void subscribe(String topic) throws BrokerException {
        IMqttMessageListener l = (t, m) -> inbox.add(new Received(t, m.getPayload()));
        try {
            client.subscribe(topic, 1, l);
        } catch (MqttException e) {
            throw new BrokerException("cannot subscribe to " + topic + ": " + e.getMessage(), e);
        }
    }

    public void publish(String topic, byte[] payload, boolean retained) throws BrokerException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        try {
            client.publish(topic, m);
        } catch (MqttException e) {
            throw new BrokerException("cannot publish to " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Next received message, or null after {@code timeoutNs}. */
    public Received poll(long timeoutNs) throws InterruptedException {
        return inbox.poll(Math.max(0, timeoutNs), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        } catch (MqttException e) {
            // closing a CLI connection: nothing left to do
        }
    }

    /** The broker could not be reached or refused an operation. */
    public static final class BrokerException extends Exception {
        private static final long serialVersionUID = 1L;

        BrokerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
