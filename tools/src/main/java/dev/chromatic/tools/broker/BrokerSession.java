package dev.chromatic.tools.broker;

import dev.chromatic.runtime.mqtt.AckGate;
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

    private final Client client;
    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();

    private BrokerSession(Client client) {
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
     * A connected client with a fresh id ({@code chromatic-ROLE-xxxxxxxx}), whose blocking calls
     * (publish, subscribe) give up after the connect timeout, and the gate its received
     * messages pass ({@link AckGate}: subscribe with {@code acks.wrap(listener)}, close the gate before
     * disconnecting, as {@link Client#close} does).
     */
    public static Client connectClient(String brokerUrl, String role, MqttConnectOptions o) throws MqttException {
        MqttClient c = new MqttClient(brokerUrl, "chromatic-" + role + "-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        AckGate acks = AckGate.of(c);
        c.setTimeToWait(Math.max(1, o.getConnectionTimeout()) * 1000L);
        try {
            c.connect(o);
        } catch (MqttException e) {
            try {
                c.close(true);
            } catch (MqttException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new Client(c, acks);
    }

    /** A connected Paho client and its acknowledgement gate. */
    public record Client(MqttClient mqtt, AckGate acks) implements AutoCloseable {

        /** Subscribes {@code listener} behind the gate. */
        public void subscribe(String topic, int qos, IMqttMessageListener listener) throws MqttException {
            mqtt.subscribe(topic, qos, acks.wrap(listener));
        }

        /** Closes the gate, then disconnects (waiting up to 1 s for what is in flight) and releases the client. */
        @Override
        public void close() {
            acks.close();
            try {
                if (mqtt.isConnected()) {
                    mqtt.disconnect(1000);
                }
                mqtt.close();
            } catch (MqttException e) {
                // closing: nothing left to do
            }
        }
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
            client.mqtt().publish(topic, m);
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
        client.close();
    }

    /** The broker could not be reached or refused an operation. */
    public static final class BrokerException extends Exception {
        private static final long serialVersionUID = 1L;

        BrokerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
