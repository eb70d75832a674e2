package dev.chromatic.runtime.mqtt;

import dev.chromatic.runtime.telemetry.TelemetryEncoder;
import dev.chromatic.runtime.telemetry.fb.TelemetryBatchFb;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An operator's client: records state, events and telemetry batches of one robot, sends commands. */
final class Observer implements AutoCloseable {

    record Batch(long receivedNs, long batch, int samples, long firstCycle, long lastCycle, String robotId,
                 int targets) {
    }

    final List<String> states = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final MqttClient client;
    private final String prefix;

    Observer(String url, String robotId) throws MqttException {
        this(url, robotId, null);
    }

    /** Over TLS when {@code tls} is a TLS socket factory (the operator's trust and certificate). */
    Observer(String url, String robotId, javax.net.SocketFactory tls) throws MqttException {
        prefix = "chromatic/" + robotId + "/";
        client = new MqttClient(url, "observer-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(MosquittoBroker.OPERATOR_USER);
        o.setPassword(MosquittoBroker.OPERATOR_PASSWORD.toCharArray());
        if (tls != null) {
            o.setSocketFactory(tls);
        }
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(500);
        o.setCleanSession(true);
        o.setMaxInflight(20_000);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                try {
                    client.subscribe(new String[] {prefix + "state", prefix + "events", prefix + "telemetry"},
                            new int[] {1, 1, 0});
                } catch (MqttException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                String kind = topic.substring(prefix.length());
                switch (kind) {
                    case "state" -> states.add(new String(m.getPayload(), StandardCharsets.UTF_8));
                    case "events" -> events.add(new String(m.getPayload(), StandardCharsets.UTF_8));
                    case "telemetry" -> {
                        TelemetryBatchFb b = TelemetryEncoder.decode(m.getPayload());
                        int n = b.samplesLength();
                        batches.add(new Batch(System.nanoTime(), b.batch(), n,
                                n == 0 ? -1 : b.samples(0).cycle(), n == 0 ? -1 : b.samples(n - 1).cycle(),
                                b.robotId(), n == 0 ? 0 : b.samples(0).motorTargetRadLength()));
                    }
                    default -> { }
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
    }

    void send(String json) throws MqttException {
        client.publish(prefix + "cmd", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** Publishes on another robot's {@code cmd} topic. */
    void sendTo(String robotId, String text) throws MqttException {
        client.publish("chromatic/" + robotId + "/cmd", text.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    void sendFast(String json) throws MqttException {
        client.publish(prefix + "cmd", json.getBytes(StandardCharsets.UTF_8), 0, false);
    }

    String lastState() {
        return states.isEmpty() ? "" : states.get(states.size() - 1);
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(200, 200);
        }
        client.close(true);
    }
}
