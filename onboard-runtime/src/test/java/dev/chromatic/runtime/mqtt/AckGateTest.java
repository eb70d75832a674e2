package dev.chromatic.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;

/** The gate acknowledges what it lets through, exactly once, and nothing after it is closed. */
class AckGateTest {

    private static MqttMessage message(int id, int qos) {
        MqttMessage m = new MqttMessage(new byte[] {1});
        m.setId(id);
        m.setQos(qos);
        return m;
    }

    @Test
    void acknowledgesQos1And2OnArrivalAndNothingAfterClose() {
        List<String> acks = new ArrayList<>();
        AckGate gate = new AckGate((id, qos) -> acks.add(id + "/" + qos));
        assertTrue(gate.admit(message(7, 1)));
        assertTrue(gate.admit(message(0, 0)), "QoS 0 is delivered and needs no acknowledgement");
        assertTrue(gate.admit(message(8, 2)));
        assertEquals(List.of("7/1", "8/2"), acks);
        gate.close();
        assertFalse(gate.admit(message(9, 1)), "after close a message is dropped");
        assertEquals(List.of("7/1", "8/2"), acks, "and not acknowledged");
    }

    @Test
    void aFailedAcknowledgementStillDeliversTheMessage() throws Exception {
        AckGate gate = new AckGate((id, qos) -> {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        });
        List<String> delivered = new ArrayList<>();
        gate.wrap((t, m) -> delivered.add(t)).messageArrived("a/b", message(3, 1));
        assertEquals(List.of("a/b"), delivered);
        gate.close();
        gate.wrap((t, m) -> delivered.add(t)).messageArrived("a/c", message(4, 1));
        assertEquals(List.of("a/b"), delivered, "a closed gate delivers nothing");
    }
}
