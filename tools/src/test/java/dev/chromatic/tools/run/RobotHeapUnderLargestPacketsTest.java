package dev.chromatic.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.Main;
import dev.chromatic.tools.testing.RawPublish;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot runtime ({@code RobotMain}, in its own JVM with the heap and GC options of the systemd
 * unit) against the embedded broker: two back-to-back publishes of the largest sizes that pass the
 * broker land on its {@code policy} topic (a forged signed policy of exactly
 * {@code policy.max_file_bytes}, and junk of the broker's whole packet cap) and are rejected as policy
 * files without running out of memory; a publish one byte over the broker's cap never reaches the
 * robot. The child reports its heap figures as JSON on standard output.
 */
class RobotHeapUnderLargestPacketsTest {

    private static final String ROBOT = "r1";
    private static final Path UNIT = Path.of("..", "onboard-runtime", "src", "dist", "chromatic-robot.service");
    private static final String POLICY_TOPIC = "chromatic/" + ROBOT + "/policy";

    @TempDir
    Path dir;

    /** The JVM options of the systemd unit's JAVA_OPTS, as deployed. */
    static List<String> unitJavaOptions() throws IOException {
        Matcher m = Pattern.compile("Environment=\"JAVA_OPTS=([^\"]*)\"").matcher(Files.readString(UNIT));
        assertTrue(m.find(), "no JAVA_OPTS in " + UNIT);
        List<String> opts = List.of(m.group(1).trim().split("\\s+"));
        assertTrue(opts.stream().anyMatch(o -> o.startsWith("-Xmx")), "the unit fixes the heap: " + opts);
        return opts;
    }

    /** A signed-looking policy envelope of exactly {@code bytes} under {@code keyId} whose signature is zeros. */
    static byte[] forgedSignedPolicy(int bytes, String keyId) throws Exception {
        int payload = bytes - PolicyEnvelope.HEADER_BYTES - PolicyEnvelope.SHA256_BYTES - PolicyEnvelope.KEY_ID_BYTES
                - PolicyEnvelope.SIGNATURE_BYTES;
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x89, 'C', 'P', 'O', 'L', 0x0D, 0x0A, 0x1A});
        b.putShort((short) PolicyEnvelope.FORMAT_VERSION).putShort((short) 1).putLong(1).putInt(payload);
        byte[] junk = new byte[payload];
        new Random(7).nextBytes(junk);
        b.put(junk);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(b.array(), 0, b.position());
        b.put(sha.digest());
        b.put(keyId.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Test
    void theRobotSurvivesTwoLargestPublishesAndNeverSeesALargerOne() throws Exception {
        KeyPair signer = PolicyKeys.generate();
        String keyId = PolicyKeys.keyId(signer.getPublic());
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        PolicyKeys.savePublic(trusted.resolve(keyId + ".pub"), signer.getPublic());
        int simPort;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            simPort = probe.getLocalPort();
        }
        String sp = Integer.toString(simPort);
        Thread sim = new Thread(() -> Main.run("sim-server", "--port", sp, "--seed", "3", "--duration-s", "60"), "sim");
        sim.setDaemon(true);
        sim.start();

        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            Path config = dir.resolve("robot.properties");
            Files.writeString(config, String.join("\n",
                    "robot.id=" + ROBOT,
                    "hal=remote:127.0.0.1:" + simPort,
                    "loop.rate_hz=100",
                    "policy.store_dir=" + Files.createDirectories(dir.resolve("policies")),
                    "policy.trusted_keys_dir=" + trusted,
                    "safety.bad_sensor_cycles=10",
                    "mqtt.url=" + broker.url(),
                    ""));
            List<String> events = new CopyOnWriteArrayList<>();
            List<String> states = new CopyOnWriteArrayList<>();
            MqttClient watcher = new MqttClient(broker.url(), "watch-" + System.nanoTime(), new MemoryPersistence());
            watcher.connect();
            watcher.subscribe("chromatic/" + ROBOT + "/events", 1, (t, m) -> events.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            watcher.subscribe("chromatic/" + ROBOT + "/state", 1, (t, m) -> states.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(unitJavaOptions());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RobotMainChild.class.getName(),
                    "--config", config.toString()));
            Process robot = new ProcessBuilder(cmd).redirectError(dir.resolve("robot.log").toFile()).start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(robot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            try {
                await("robot online", robot, () -> !states.isEmpty() && states.get(states.size() - 1).contains("\"online\":true"));

                byte[] forged = forgedSignedPolicy(EmbeddedBroker.MAX_POLICY_BYTES, keyId);
                // the largest payload the broker passes on this topic: remaining length = topic + its length + packet id + payload
                byte[] junk = new byte[EmbeddedBroker.MAX_MESSAGE_BYTES - 2 - POLICY_TOPIC.length() - 2];
                new Random(11).nextBytes(junk);
                MqttAsyncClient sender = new MqttAsyncClient(broker.url(), "sender-" + System.nanoTime(), new MemoryPersistence());
                sender.connect(new MqttConnectOptions()).waitForCompletion(10_000);
                IMqttDeliveryToken first = sender.publish(POLICY_TOPIC, forged, 1, false);
                IMqttDeliveryToken second = sender.publish(POLICY_TOPIC, junk, 1, false);
                first.waitForCompletion(30_000);
                second.waitForCompletion(30_000);
                String forgedVerdict = awaitVerdict(events, robot, sha256(forged));
                String junkVerdict = awaitVerdict(events, robot, sha256(junk));
                assertTrue(forgedVerdict.contains("\"field\":\"signature\""), "the forged policy fails its signature: " + forgedVerdict);
                assertTrue(junkVerdict.contains("\"field\":\"size\""), "the junk is over policy.max_file_bytes: " + junkVerdict);

                assertTrue(RawPublish.publish(broker.url(), POLICY_TOPIC,
                        EmbeddedBroker.MAX_MESSAGE_BYTES + 1 - 2 - POLICY_TOPIC.getBytes(StandardCharsets.UTF_8).length).closedByBroker(),
                        "the broker closes the connection of a packet one byte over its cap");
                // verdicts come in the order files arrive: once this marker's is in, an earlier file would be too
                byte[] marker = "not a policy".getBytes(StandardCharsets.US_ASCII);
                sender.publish(POLICY_TOPIC, marker, 1, false).waitForCompletion(10_000);
                awaitVerdict(events, robot, sha256(marker));
                long verdicts = events.stream().filter(e -> e.contains("\"policy_verdict\"")).count();
                assertEquals(3, verdicts, "only the two largest files and the marker reached the robot: " + events);
                assertTrue(robot.isAlive(), "the robot runtime is still running");
                assertTrue(states.get(states.size() - 1).contains("\"online\":true"), "and online");
                sender.disconnect().waitForCompletion(5000);
                sender.close();
            } finally {
                robot.getOutputStream().close();
                if (!robot.waitFor(20, TimeUnit.SECONDS)) {
                    robot.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                watcher.disconnect();
                watcher.close();
            }
            String out = stdout.get(10, TimeUnit.SECONDS);
            String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            assertTrue(json != null, "the robot printed no result (out of memory?): " + out + " / log: "
                    + Files.readString(dir.resolve("robot.log")));
            Map<String, Object> result = Json.parseObject(json, 4096);
            assertEquals(0L, result.get("exit"), "RobotMain ended normally: " + Files.readString(dir.resolve("robot.log")));
            long heapMax = (Long) result.get("heap_max_bytes");
            long peak = (Long) result.get("heap_peak_bytes");
            System.out.printf("largest packets: two publishes of %d and %d bytes on policy rejected (signature, size); "
                            + "one of %d bytes refused by the broker; robot heap max %.0f MiB, peak used %.1f MiB (%s)%n",
                    EmbeddedBroker.MAX_POLICY_BYTES, EmbeddedBroker.MAX_MESSAGE_BYTES - 4 - POLICY_TOPIC.length() - 4 - POLICY_TOPIC.length(),
                    EmbeddedBroker.MAX_MESSAGE_BYTES + 1, heapMax / 1048576.0, peak / 1048576.0, unitJavaOptions());
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String awaitVerdict(List<String> events, Process robot, String sha) throws InterruptedException {
        String[] found = new String[1];
        await("verdict on " + sha, robot, () -> {
            for (String e : events) {
                if (e.contains("\"policy_verdict\"") && e.contains(sha)) {
                    found[0] = e;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static void await(String what, Process robot, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!robot.isAlive()) {
                throw new AssertionError("the robot process ended (exit " + robot.exitValue() + ") while waiting for: " + what);
            }
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

}
