package dev.chromatic.tools.dashboard;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import dev.chromatic.runtime.mqtt.AckGate;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.telemetry.Topics;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.cmd.OperatorSigner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The dashboard's one MQTT connection to the robot's topics: keeps the retained state, the last
 * {@value #EVENT_LOG} events and the last telemetry sample, forwards each message (checked JSON,
 * rewritten compactly) to the open pages, and publishes operator commands, signed with the
 * operator's key when there is one. Messages over their size cap or not JSON objects are counted
 * and dropped. Reconnects by itself; callbacks run on Paho's thread.
 */
final class RobotFeed implements MqttCallbackExtended, AutoCloseable {

    static final int EVENT_LOG = 200;
    static final int MAX_STATE_BYTES = 16 * 1024;
    static final int MAX_EVENT_BYTES = 8 * 1024;
    static final int MAX_TELEMETRY_BYTES = 16 * 1024;

    /** What a page's command request did. */
    record Sent(String command, long counter) {
    }

    private final Topics topics;
    private final OperatorSigner signer;
    private final EventStreams streams;
    private final MqttAsyncClient client;
    private final AckGate acks;
    private final ArrayDeque<String> events = new ArrayDeque<>(EVENT_LOG);
    private final TelemetryLoss loss = new TelemetryLoss();
    private final Object sendLock = new Object();
    private String state;
    private String lastTelemetry;
    private long badMessages;
    private String lastBadMessage;
    private volatile boolean connected;

    private RobotFeed(Topics topics, OperatorSigner signer, EventStreams streams, MqttAsyncClient client) {
        this.topics = topics;
        this.signer = signer;
        this.streams = streams;
        this.client = client;
        this.acks = AckGate.of(client);
    }

    /**
     * Connects to {@code brokerUrl} and subscribes to the robot's state, events and JSON telemetry.
     *
     * @throws MqttException when the broker cannot be reached or refuses the connection
     */
    static RobotFeed connect(String brokerUrl, BrokerOptions options, String robotId, OperatorSigner signer,
            EventStreams streams, int timeoutS) throws MqttException {
        MqttConnectOptions o = options.connectOptions(brokerUrl);
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(2000);
        o.setConnectionTimeout(Math.max(1, timeoutS));
        o.setKeepAliveInterval(5);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        MqttAsyncClient c = new MqttAsyncClient(brokerUrl,
                "chromatic-dashboard-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        RobotFeed feed = new RobotFeed(new Topics(robotId), signer, streams, c);
        c.setCallback(feed);
        try {
            c.connect(o).waitForCompletion(timeoutS * 1000L);
        } catch (MqttException e) {
            c.close(true);
            throw e;
        }
        if (!c.isConnected()) {
            c.close(true);
            throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }
        return feed;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        try {
            client.subscribe(new String[] {topics.state(), topics.events(), topics.telemetryJson()},
                    new int[] {1, 1, 0});
            connected = true;
        } catch (MqttException e) {
            connected = false;
        }
        streams.publish("link", link());
    }

    @Override
    public void connectionLost(Throwable cause) {
        connected = false;
        streams.publish("link", link());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        if (!acks.admit(message)) {
            return;
        }
        try {
            route(topic, message.getPayload());
        } catch (RuntimeException e) {
            // a throwing callback would make Paho drop the connection: count it like any bad message
            synchronized (this) {
                badMessages++;
                lastBadMessage = "on " + topic + ": " + e;
            }
        }
    }

    private void route(String topic, byte[] payload) {
        if (topic.equals(topics.telemetryJson())) {
            Map<String, Object> m = parse(topic, payload, MAX_TELEMETRY_BYTES);
            if (m != null) {
                String json = Json.write(m);
                synchronized (this) {
                    loss.add(m.get("timestamp") instanceof Number n ? n.doubleValue() : Double.NaN);
                    lastTelemetry = json;
                }
                streams.publish("telemetry", json);
            }
        } else if (topic.equals(topics.state())) {
            Map<String, Object> m = parse(topic, payload, MAX_STATE_BYTES);
            if (m != null) {
                String json = Json.write(m);
                synchronized (this) {
                    state = json;
                }
                streams.publish("state", json);
            }
        } else if (topic.equals(topics.events())) {
            Map<String, Object> m = parse(topic, payload, MAX_EVENT_BYTES);
            if (m != null) {
                m.put("received_ms", System.currentTimeMillis());
                String json = Json.write(m);
                synchronized (this) {
                    if (events.size() == EVENT_LOG) {
                        events.removeFirst();
                    }
                    events.addLast(json);
                }
                streams.publish("event", json);
            }
        }
    }

    private Map<String, Object> parse(String topic, byte[] payload, int maxBytes) {
        String why;
        if (payload.length > maxBytes) {
            why = payload.length + " bytes on " + topic + " (at most " + maxBytes + ")";
        } else {
            try {
                return Json.parseObject(new String(payload, StandardCharsets.UTF_8), maxBytes);
            } catch (JsonFormatException | RuntimeException e) {
                why = "not a JSON object on " + topic + ": " + e.getMessage();
            }
        }
        synchronized (this) {
            badMessages++;
            lastBadMessage = why.length() > 200 ? why.substring(0, 200) : why;
        }
        return null;
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    /** Whether commands other than estop can be sent (an operator key is loaded). */
    boolean canSign() {
        return signer != null;
    }

    /**
     * Publishes {@code kind}: a bare estop (it always lands), or a command signed with the operator key.
     *
     * @throws IllegalStateException when {@code kind} needs a key and there is none
     * @throws MqttException when the broker does not take it within 2 s
     */
    Sent send(CommandKind kind) throws MqttException {
        if (kind == CommandKind.ESTOP) {
            client.publish(topics.cmd(), SignedCommand.estop().getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(2000);
            return new Sent(kind.wireName(), 0);
        }
        if (signer == null) {
            throw new IllegalStateException("read-only: the dashboard has no operator key");
        }
        IMqttDeliveryToken token;
        OperatorSigner.Signed s;
        // the robot refuses a counter not above the last it took: sign and queue in one order
        synchronized (sendLock) {
            s = signer.sign(kind);
            token = client.publish(topics.cmd(), s.json().getBytes(StandardCharsets.UTF_8), 1, false);
        }
        token.waitForCompletion(2000);
        return new Sent(kind.wireName(), s.counter());
    }

    boolean connected() {
        return connected && client.isConnected();
    }

    /** The broker link as the page shows it. */
    String link() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connected", connected());
        m.put("broker", client.getServerURI());
        return Json.write(m);
    }

    /** Retained state, event log, last sample and counters: what a page starts from. */
    synchronized Snapshot snapshot() {
        return new Snapshot(state, new ArrayList<>(events), lastTelemetry, loss.received(), loss.missed(),
                badMessages, lastBadMessage);
    }

    /** The feed at one moment. */
    record Snapshot(String state, List<String> events, String telemetry, long telemetryReceived,
                    long telemetryMissed, long badMessages, String lastBadMessage) {
    }

    @Override
    public void close() {
        acks.close();
        try {
            if (client.isConnected()) {
                client.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            // closing: nothing left to do
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // closing: nothing left to do
        }
    }
}
