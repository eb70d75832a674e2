package dev.chromatic.runtime.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * Acknowledges a client's received QoS 1 and 2 messages itself, as they arrive, and stops once the
 * client starts to close, so that no acknowledgement ever follows the client's DISCONNECT.
 *
 * <p>Why: Paho 1.2.5 acknowledges a message on its callback thread after the listener returns, and
 * a disconnect from another thread does not wait for a delivery already under way; the PUBACK then
 * goes out after the DISCONNECT, which MQTT 3.1.1 forbids (section 3.14.4: after DISCONNECT the
 * client sends nothing more). Moquette 0.17, the embedded broker, processes such a late PUBACK
 * against a session it has already cleaned up, fails on a released buffer, and loses one of its
 * session threads for good: from then on every client whose id hashes to that thread (about half
 * of them on two cores) can no longer connect or receive. With the gate, an acknowledgement is
 * queued inside the delivery, under the same lock that {@link #close} takes, so it is always
 * queued before the DISCONNECT; a message arriving after {@link #close} is neither acknowledged
 * nor delivered (the clean session discards it with the connection).
 *
 * <p>Use: create the gate with {@link #of} before connecting (it switches the client to manual
 * acknowledgement), pass every arriving message through {@link #admit} first (or subscribe with
 * {@link #wrap}ped listeners), and call {@link #close} before disconnecting.
 */
public final class AckGate {

    /** Sends the acknowledgement of one message. */
    @FunctionalInterface
    interface Acker {
        void ack(int messageId, int qos) throws MqttException;
    }

    private final Acker acker;
    private boolean closing;

    AckGate(Acker acker) {
        this.acker = acker;
    }

    /** A gate for {@code client}, which from now on acknowledges only what passes the gate. */
    public static AckGate of(MqttClient client) {
        client.setManualAcks(true);
        return new AckGate(client::messageArrivedComplete);
    }

    /** A gate for {@code client}, which from now on acknowledges only what passes the gate. */
    public static AckGate of(MqttAsyncClient client) {
        client.setManualAcks(true);
        return new AckGate(client::messageArrivedComplete);
    }

    /**
     * Acknowledges {@code message} (QoS 1 or 2) and returns true, or returns false once the gate is
     * closed: the caller then drops the message. A failed acknowledgement (the connection is going
     * away) changes nothing: the message is still delivered.
     */
    public synchronized boolean admit(MqttMessage message) {
        if (closing) {
            return false;
        }
        if (message.getQos() > 0) {
            try {
                acker.ack(message.getId(), message.getQos());
            } catch (MqttException | RuntimeException e) {
                // not connected any more: the broker discards the session's unacknowledged messages
            }
        }
        return true;
    }

    /** {@code listener} behind the gate. */
    public IMqttMessageListener wrap(IMqttMessageListener listener) {
        return (topic, message) -> {
            if (admit(message)) {
                listener.messageArrived(topic, message);
            }
        };
    }

    /** From now on nothing is acknowledged or delivered; call it before disconnecting. */
    public synchronized void close() {
        closing = true;
    }
}
