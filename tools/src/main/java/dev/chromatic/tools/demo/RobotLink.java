package dev.chromatic.tools.demo;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.cmd.OperatorSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The demo's operator console over MQTT: watches the robot's retained state and its events, sends
 * commands signed with the demo's operator key, and while the robot is armed sends the heartbeat
 * the robot needs to stay armed (see docs/mqtt.md).
 */
final class RobotLink implements AutoCloseable {

    private final BrokerSession.Client client;
    private final String prefix;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final OperatorSigner signer;
    private volatile String state = "";
    private final Object heartbeatLock = new Object();
    private Thread heartbeat;

    RobotLink(String brokerUrl, BrokerOptions options, String robotId, OperatorSigner signer) throws MqttException {
        this.signer = signer;
        this.prefix = "chromatic/" + robotId + "/";
        MqttConnectOptions o = options.connectOptions(brokerUrl);
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        this.client = BrokerSession.connectClient(brokerUrl, "demo", o);
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

    /**
     * Sends a signed command and returns the counter it carries (the robot's events name it as
     * {@code seq}). Signing and publishing happen under one lock: the heartbeat thread must not
     * publish a higher counter ahead of a command, which the robot would then refuse as a replay.
     */
    synchronized long send(CommandKind kind) throws MqttException {
        OperatorSigner.Signed s = signer.sign(kind);
        client.mqtt().publish(prefix + "cmd", s.json().getBytes(StandardCharsets.UTF_8), 1, false);
        return s.counter();
    }

    /** Starts sending a signed heartbeat every {@code periodMs} (idempotent) until {@link #stopHeartbeat}. */
    void startHeartbeat(long periodMs) {
        synchronized (heartbeatLock) {
            startHeartbeatLocked(periodMs);
        }
    }

    private void startHeartbeatLocked(long periodMs) {
        if (heartbeat != null) {
            return;
        }
        heartbeat = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    send(CommandKind.HEARTBEAT);
                    Thread.sleep(periodMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (MqttException e) {
                // the link is gone: the robot latches link_lost, which is what it is for
            }
        }, "operator-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    void stopHeartbeat() {
        synchronized (heartbeatLock) {
            stopHeartbeatLocked();
        }
    }

    private void stopHeartbeatLocked() {
        if (heartbeat != null) {
            heartbeat.interrupt();
            try {
                heartbeat.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeat = null;
        }
    }

    /** Publishes {@code payload} on the robot's topic {@code chromatic/<id>/<sub>} (QoS 1, not retained). */
    void publish(String sub, byte[] payload) throws MqttException {
        client.mqtt().publish(prefix + sub, payload, 1, false);
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

    @Override
    public void close() {
        stopHeartbeat();
        client.close();
    }
}
