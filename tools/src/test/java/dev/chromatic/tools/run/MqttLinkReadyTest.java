package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.mqtt.MqttLink;
import dev.chromatic.runtime.mqtt.MqttSettings;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * A robot says it is online only once the broker has acknowledged every subscription: a policy or
 * a command sent the moment it says so reaches it (before, a flash right after "online" was lost
 * in about one start in three on a busy machine, while the robot was still clearing retained input).
 */
class MqttLinkReadyTest {

    @Test
    void aMessageSentTheMomentTheLinkIsUpArrives() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            MqttClient sender = new MqttClient(broker.url(), "sender", new MemoryPersistence());
            sender.connect();
            for (int round = 0; round < 3; round++) {
                CountDownLatch got = new CountDownLatch(1);
                MqttLink link = new MqttLink(MqttSettings.plain(broker.url(), "robot-" + round), "r/state",
                        "{}".getBytes(StandardCharsets.UTF_8));
                link.subscribe("r/policy", 1, (t, p) -> got.countDown(), (t, p) -> { });
                link.subscribe("r/cmd", 1, (t, p) -> { }, (t, p) -> { });
                try {
                    long until = System.nanoTime() + 10_000_000_000L;
                    while (!link.isConnected() && System.nanoTime() < until) {
                        link.doWork(System.nanoTime());
                        Thread.sleep(0, 200_000);
                    }
                    assertTrue(link.isConnected(), "round " + round + ": not connected: " + link.lastError());
                    sender.publish("r/policy", new byte[] {1, 2, 3}, 1, false);
                    assertTrue(got.await(5, TimeUnit.SECONDS), "round " + round + ": the message sent once the link was up was lost");
                } finally {
                    link.close();
                }
            }
            sender.disconnect();
            sender.close();
        }
    }
}
