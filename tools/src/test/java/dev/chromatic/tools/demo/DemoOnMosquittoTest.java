package dev.chromatic.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.runtime.mqtt.MosquittoBroker;
import dev.chromatic.runtime.mqtt.TestPki;
import dev.chromatic.tools.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chromatic demo --quick --broker ssl://...} against a real Mosquitto that admits no
 * anonymous client and requires a password and a client certificate from its CA: the robot process,
 * the operator link, the telemetry recording and the dashboard all get in with the PEM options, and
 * the robot walks. The demo runs as its own JVM, as a user's {@code ./chromatic demo} does; what it
 * did is read from its standard output. Skipped with a message where mosquitto or openssl is missing.
 */
class DemoOnMosquittoTest {

    @TempDir
    Path tmp;

    @Test
    void quickDemoWalksOverAMosquittoThatRequiresPasswordAndClientCertificate() throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto not installed");
        assumeTrue(TestPki.available(), "openssl not installed");
        Path home = Path.of("").toAbsolutePath().getParent();
        Path robotJar = home.resolve("onboard-runtime/target/chromatic-robot.jar");
        assumeTrue(Files.isRegularFile(robotJar), "robot jar not built: run through 'mvn verify' from the root");
        TestPki ca = new TestPki(tmp.resolve("pki"), "fleet");
        TestPki.Issued server = ca.server("broker");
        TestPki.Issued operator = ca.client("operator");
        Path pw = Files.writeString(tmp.resolve("operator.pw"), MosquittoBroker.OPERATOR_PASSWORD + "\n");

        try (MosquittoBroker broker = new MosquittoBroker(tmp.resolve("broker"), DemoCommand.ROBOT_ID,
                new MosquittoBroker.Tls(ca.caCert(), server.cert(), server.key(), true), 0)) {
            MqttException anonymous = assertThrows(MqttException.class, () -> connectAnonymously(broker.url()));
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, anonymous.getReasonCode(), "anonymous refused");

            Path run = tmp.resolve("demo");
            Path stdout = tmp.resolve("demo.out");
            Path stderr = tmp.resolve("demo.err");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dchromatic.home=" + home, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "demo", "--quick", "--seconds", "8", "--out", run.toString(), "--broker", broker.tlsUrl(),
                    "--username", MosquittoBroker.OPERATOR_USER, "--password-file", pw.toString(),
                    "--cafile", ca.caCert().toString(), "--tls-cert", operator.cert().toString(),
                    "--tls-key", operator.key().toString())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(stdout);
            // stderr only to explain a failure
            String why = out + "\n--- stderr tail:\n" + tail(stderr) + "\n--- robot log:\n" + tail(run.resolve("robot/robot.log"));
            assertEquals(0, p.exitValue(), why);
            assertTrue(out.contains("  broker     " + broker.tlsUrl() + " (an existing broker"), why);
            assertTrue(out.contains("chromatic demo: dashboard at http://127.0.0.1:"), "the dashboard got in: " + why);
            Matcher walk = Pattern.compile("walk +[0-9.]+ m in [0-9.]+ s \\(([0-9.]+) m/s\\)").matcher(out);
            assertTrue(walk.find(), why);
            assertTrue(Double.parseDouble(walk.group(1)) >= 0.5, "walked at least 0.5 m/s: " + why);
            Matcher telemetry = Pattern.compile("telemetry +(\\d+) samples").matcher(out);
            assertTrue(telemetry.find() && Long.parseLong(telemetry.group(1)) > 400, "telemetry received: " + why);
            assertTrue(out.contains("safety     0 safe-state events"), why);
            assertTrue(broker.log().contains(" as chromatic-demo (") , "the robot connected to Mosquitto: " + broker.log());
        }
    }

    private static void connectAnonymously(String url) throws MqttException {
        MqttClient c = new MqttClient(url, "anonymous-probe", new MemoryPersistence());
        try {
            MqttConnectOptions o = new MqttConnectOptions();
            o.setConnectionTimeout(5);
            c.connect(o);
            c.disconnect();
        } finally {
            c.close();
        }
    }

    private static String tail(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
