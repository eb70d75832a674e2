package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.tools.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chromatic run --operator-keys}: the operator's signed commands reach the in-process robot. */
class RunOperatorKeysTest {

    private static final Path SHIPPED = Path.of("").toAbsolutePath().getParent().resolve("policies")
            .resolve("minitaur-pmtg.cpol");

    @Test
    void aSignedDisarmFromTheOperatorIsApplied(@TempDir Path tmp) throws Exception {
        Path keys = tmp.resolve("operator");
        assertEquals(0, Main.run("keygen", "--out", keys.toString()));
        Path key;
        try (Stream<Path> s = Files.list(keys)) {
            key = s.filter(p -> p.toString().endsWith(".key")).findFirst().orElseThrow();
        }
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            MqttClient watcher = new MqttClient(broker.url(), "watcher", new MemoryPersistence());
            watcher.connect();
            CountDownLatch online = new CountDownLatch(1);
            watcher.subscribe("chromatic/sim/state", 1, (t, m) -> {
                if (new String(m.getPayload(), StandardCharsets.UTF_8).contains("\"online\":true")) {
                    online.countDown();
                }
            });
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int[] runExit = {-1};
            Thread robot = new Thread(() -> runExit[0] = Main.run("run", "--policy", SHIPPED.toString(), "--realtime",
                    "--seconds", "4", "--broker", broker.url(), "--operator-keys", keys.toString(), "--json"));
            robot.start();
            assertTrue(online.await(20, TimeUnit.SECONDS), "the in-process robot never said online");
            int cmdExit = Main.run("cmd", "disarm", "--robot", "sim", "--broker", broker.url(), "--key", key.toString());
            robot.join(30_000);
            watcher.disconnect();
            watcher.close();
            System.setOut(oldOut);
            assertEquals(0, cmdExit, "the signed disarm was applied: " + out);
            assertEquals(0, runExit[0], out.toString());
            String json = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"safe_state\""))
                    .findFirst().orElseThrow();
            assertTrue(json.contains("\"safe_state\":\"disarmed\""), json);
        } finally {
            System.setOut(oldOut);
        }
        assertEquals(2, Main.run("run", "--policy", SHIPPED.toString(), "--operator-keys", tmp.resolve("none").toString()));
    }
}
