package dev.chromatic.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mosquitto's {@code max_packet_size} as docs/deploy.md sets it: a policy file of the robot's
 * default {@code policy.max_file_bytes} (1 MiB) passes to the robot's account, a packet above the
 * cap is dropped at the broker and its sender disconnected, so the robot's client never has to
 * allocate it. Skipped with a message where mosquitto is not installed.
 */
class MosquittoPacketCapTest {

    /** The value docs/deploy.md gives. */
    static final int DEPLOY_MAX_PACKET_SIZE = 1_100_000;
    private static final String TOPIC = "chromatic/r1/policy";

    private static MqttClient connect(MosquittoBroker b, String user, String password) throws MqttException {
        MqttClient c = new MqttClient(b.url(), user + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setConnectionTimeout(5);
        c.connect(o);
        return c;
    }

    @Test
    void aFullPolicyPassesTheDeployedCapAndALargerPacketNeverReachesTheRobot(@TempDir Path dir) throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto not installed");
        try (MosquittoBroker b = new MosquittoBroker(dir, "r1", null, DEPLOY_MAX_PACKET_SIZE)) {
            List<Integer> received = new CopyOnWriteArrayList<>();
            MqttClient robot = connect(b, MosquittoBroker.ROBOT_USER, MosquittoBroker.ROBOT_PASSWORD);
            robot.subscribe(TOPIC, 1, (t, m) -> received.add(m.getPayload().length));

            MqttClient operator = connect(b, MosquittoBroker.OPERATOR_USER, MosquittoBroker.OPERATOR_PASSWORD);
            operator.publish(TOPIC, new byte[1 << 20], 1, false);
            // fixed header (1 + 3 length bytes) + topic length (2) + topic + packet id (2) + payload: 10 bytes over
            int over = DEPLOY_MAX_PACKET_SIZE + 10 - (1 + 3 + 2 + TOPIC.length() + 2);
            String outcome;
            try {
                operator.publish(TOPIC, new byte[over], 1, false);
                outcome = "acknowledged";
            } catch (MqttException e) {
                outcome = "sender disconnected (" + e.getMessage() + ")";
            }
            MqttClient marker = connect(b, MosquittoBroker.OPERATOR_USER, MosquittoBroker.OPERATOR_PASSWORD);
            marker.publish(TOPIC, "marker".getBytes(StandardCharsets.US_ASCII), 1, false);
            Observer.await("the marker after the oversize packet", 10_000, () -> received.contains(6));
            assertEquals(List.of(1 << 20, 6), received, "the 1 MiB policy and the marker, nothing larger; oversize: " + outcome);
            assertTrue(!operator.isConnected(), "Mosquitto disconnects the sender of an oversize packet");
            System.out.println("max_packet_size " + DEPLOY_MAX_PACKET_SIZE + ": a 1 MiB policy passed; a packet of "
                    + (DEPLOY_MAX_PACKET_SIZE + 10) + " bytes was dropped, " + outcome);
            marker.disconnect();
            marker.close();
            robot.disconnect();
            robot.close();
            operator.close();
        }
    }
}
