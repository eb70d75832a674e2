package dev.chromatic.runtime.mqtt;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Sends a command flood from its own process (as a misbehaving operator would): {@code messages}
 * commands at {@code rate} per second, a mix of fresh, replayed, malformed and unknown commands, then
 * exits. Prints the number sent and the seconds taken.
 */
public final class FloodSender {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String topic = args[1];
        int messages = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        MqttClient client = new MqttClient(url, "flood-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(MosquittoBroker.OPERATOR_USER);
        o.setPassword(MosquittoBroker.OPERATOR_PASSWORD.toCharArray());
        o.setMaxInflight(65_000);
        client.connect(o);
        long t0 = System.nanoTime();
        int sent = 0;
        long seq = 1;
        int burst = Math.max(1, rate / 100);
        for (int i = 0; i < messages; i++) {
            String msg = switch (i % 4) {
                case 0 -> "{\"seq\": " + (seq++) + ", \"cmd\": \"disarm\"}";
                case 1 -> "{\"seq\": 1, \"cmd\": \"disarm\"}";
                case 2 -> "{\"seq\": \"x\"";
                default -> "{\"seq\": " + seq + ", \"cmd\": \"launch\"}";
            };
            try {
                client.publish(topic, msg.getBytes(StandardCharsets.UTF_8), 0, false);
                sent++;
            } catch (MqttException full) {
                // the sender's own window is full: not part of the flood
            }
            if ((i + 1) % burst == 0) {
                long dueNs = t0 + (long) ((i + 1) * 1e9 / rate);
                long waitNs = dueNs - System.nanoTime();
                if (waitNs > 0) {
                    Thread.sleep(waitNs / 1_000_000L, (int) (waitNs % 1_000_000L));
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        client.disconnect(2000);
        client.close();
        System.out.println(sent + " " + seconds + " " + seq);
    }
}
