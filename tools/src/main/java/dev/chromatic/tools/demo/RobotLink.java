package dev.chromatic.tools.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The demo's operator console over MQTT: watches the robot's retained state and its events, and
 * sends commands with increasing sequence numbers (see docs/mqtt.md).
 */
final class RobotLink implements AutoCloseable {

    private final MqttClient client;
    private final String prefix;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile String state = "";
    private long seq;

    RobotLink(String brokerUrl, String robotId) throws MqttException {
        this.prefix = "chromatic/" + robotId + "/";
        this.client = new MqttClient(brokerUrl, "chromatic-demo-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        client.connect(o);
        client.subscribe(prefix + "state", 1, (t, m) -> state = new String(m.getPayload(), StandardCharsets.UTF_8));
        client.subscribe(prefix + "events", 1, (t, m) -> events.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
    }

    /** Waits until the retained state contains {@code fragment}; false on timeout. */
    boolean awaitState(String fragment, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!state.contains(fragment)) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    String state() {
        return state;
    }

    /** Sends {@code {"seq":N,"cmd":NAME}} and returns the sequence number used. */
    long send(String command) throws MqttException {
        long s = Math.max(++seq, lastSeqFromState() + 1);
        seq = s;
        byte[] body = ("{\"seq\":" + s + ",\"cmd\":\"" + command + "\"}").getBytes(StandardCharsets.UTF_8);
        client.publish(prefix + "cmd", body, 1, false);
        return s;
    }

    /** Publishes {@code payload} on the robot's topic {@code chromatic/<id>/<sub>} (QoS 1, not retained). */
    void publish(String sub, byte[] payload) throws MqttException {
        client.publish(prefix + sub, payload, 1, false);
    }

    /** Waits for an event whose JSON contains every fragment; returns it, or null on timeout. */
    String awaitEvent(long timeoutMs, String... fragments) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            for (String e : events) {
                boolean all = true;
                for (String f : fragments) {
                    all &= e.contains(f);
                }
                if (all) {
                    return e;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() - end < 0);
        return null;
    }

    /** Every event received so far, as JSON text. */
    List<String> events() {
        return List.copyOf(events);
    }

    private long lastSeqFromState() {
        int i = state.indexOf("\"last_seq\":");
        if (i < 0) {
            return 0;
        }
        int j = i + "\"last_seq\":".length();
        int k = j;
        while (k < state.length() && Character.isDigit(state.charAt(k))) {
            k++;
        }
        return k > j ? Long.parseLong(state.substring(j, k)) : 0;
    }

    @Override
    public void close() {
        try {
            client.disconnect(1000);
            client.close();
        } catch (MqttException e) {
            // closing: nothing left to do
        }
    }
}
