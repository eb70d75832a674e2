package dev.chromatic.runtime.mqtt;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.policy.PolicyKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Sends a command flood from its own process (as an attacker on the broker would): {@code messages}
 * commands at {@code rate} per second, a mix of valid-looking commands signed by a key the robot does
 * not trust, forged signatures under the operator's key id, malformed and unsigned ones, with one
 * unsigned E-stop in the middle; then exits. Prints one JSON object on standard output:
 * {@code {"sent":N,"seconds":S}}.
 *
 * <p>Arguments: broker URL, cmd topic, messages, rate, robot id, the operator's key id.
 */
public final class FloodSender {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String topic = args[1];
        int messages = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        String robot = args[4];
        String operatorKeyId = args[5];
        KeyPair stranger = PolicyKeys.generate();
        String strangerId = PolicyKeys.keyId(stranger.getPublic());
        String zeroSig = Base64.getEncoder().encodeToString(new byte[SignedCommand.SIGNATURE_BYTES]);
        MqttClient client = new MqttClient(url, "flood-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(MosquittoBroker.OPERATOR_USER);
        o.setPassword(MosquittoBroker.OPERATOR_PASSWORD.toCharArray());
        o.setMaxInflight(65_000);
        client.connect(o);
        long t0 = System.nanoTime();
        int sent = 0;
        long ctr = 1;
        int burst = Math.max(1, rate / 100);
        for (int i = 0; i < messages; i++) {
            String msg;
            if (i == messages / 2) {
                msg = SignedCommand.estop();
            } else {
                msg = switch (i % 4) {
                    case 0 -> SignedCommand.sign(stranger.getPrivate(), strangerId, robot, ctr++, CommandKind.DISARM, 0);
                    case 1 -> "{\"robot\":\"" + robot + "\",\"key\":\"" + operatorKeyId + "\",\"ctr\":" + (ctr++)
                            + ",\"cmd\":\"reset\",\"sig\":\"" + zeroSig + "\"}";
                    case 2 -> "{\"robot\": \"x\"";
                    default -> "{\"seq\": " + ctr + ", \"cmd\": \"arm\"}";
                };
            }
            try {
                client.publish(topic, msg.getBytes(StandardCharsets.UTF_8), i == messages / 2 ? 1 : 0, false);
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
        System.out.println(new JsonWriter().put("sent", sent).put("seconds", seconds).end());
    }
}
