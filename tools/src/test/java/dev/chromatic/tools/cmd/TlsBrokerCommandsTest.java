package dev.chromatic.tools.cmd;

import static dev.chromatic.tools.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.mqtt.MosquittoBroker;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.mqtt.TestPki;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.OperatorKeys;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.testing.Cli.Run;
import dev.chromatic.tools.testing.HoldPoseStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chromatic cmd} and {@code status} reach a robot through a real Mosquitto that requires
 * client certificates, with the PEM files of {@code --cafile}, {@code --tls-cert} and
 * {@code --tls-key}; without a client certificate, or trusting another CA, they are refused.
 * Skipped with a message where mosquitto or openssl is not installed.
 */
class TlsBrokerCommandsTest {

    private static final long PERIOD_NS = 10_000_000L;

    @TempDir
    Path tmp;

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void cmdAndStatusReachTheRobotWithPemCertificatesAndNotWithout() throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto not installed");
        assumeTrue(TestPki.available(), "openssl not installed");
        TestPki ca = new TestPki(tmp.resolve("pki"), "fleet");
        TestPki rogue = new TestPki(tmp.resolve("rogue"), "rogue");
        TestPki.Issued server = ca.server("broker");
        TestPki.Issued robot = ca.client("robot");
        TestPki.Issued operatorCert = ca.client("operator");
        Path pw = tmp.resolve("operator.pw");
        Files.writeString(pw, MosquittoBroker.OPERATOR_PASSWORD + "\n");
        assertEquals(0, run("keygen", "--out", tmp.resolve("op").toString()).exit());
        Path key;
        try (Stream<Path> s = Files.list(tmp.resolve("op"))) {
            key = s.filter(p -> p.toString().endsWith(".key")).findFirst().orElseThrow();
        }
        var pub = PolicyKeys.loadPublic(Path.of(key.toString().replace(".key", ".pub")));

        try (MosquittoBroker broker = new MosquittoBroker(tmp.resolve("broker"), "r1",
                new MosquittoBroker.Tls(ca.caCert(), server.cert(), server.key(), true), 0)) {
            char[] storePw = TestPki.STORE_PASSWORD.toCharArray();
            MqttSettings mqtt = new MqttSettings(broker.tlsUrl(), "chromatic-r1", MosquittoBroker.ROBOT_USER,
                    MosquittoBroker.ROBOT_PASSWORD.toCharArray(), ca.trustStore(), storePw, robot.pkcs12(), storePw, 5, 1000, 200);
            RobotLoop loop = RobotLoop.context().hardware(new StandInHardware(NanoClock.system(), PERIOD_NS))
                    .clock(NanoClock.system()).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                    .standUp(StandUpSettings.immediate()).linkTimeout(1_500_000_000L).telemetry(1024).build();
            try (RobotRuntime rt = new RobotRuntime("r1", loop, mqtt, 10,
                    CommandSettings.of(OperatorKeys.of(pub), CounterStore.inMemory()))) {
                rt.control().offerPolicy(new InstalledPolicy(new HoldPoseStep(), "ab".repeat(32), 4, true, PERIOD_NS));
                rt.startTelemetryThread(t -> { });
                rt.startLoopThread(500_000L, 0, -1, t -> { });
                String[] tls = {"--robot", "r1", "--broker", broker.tlsUrl(), "--username", MosquittoBroker.OPERATOR_USER,
                        "--password-file", pw.toString(), "--cafile", ca.caCert().toString(),
                        "--tls-cert", operatorCert.cert().toString(), "--tls-key", operatorCert.key().toString()};

                Run armed = run(with(with(new String[] {"cmd", "arm"}, tls), "--key", key.toString(), "--seconds", "1"));
                assertEquals(0, armed.exit(), armed.out() + armed.err() + broker.log());
                assertEquals(SafetyState.DISARMED, rt.safety().state(), "armed over TLS, held 1 s, disarmed");
                assertTrue(rt.commands().accepted() >= 2, "the arm and the disarm arrived: " + rt.commands().accepted());

                Run status = run(with(with(new String[] {"status"}, tls), "--json"));
                assertEquals(0, status.exit(), status.err());
                Map<String, Object> state = Json.parseObject(status.out().trim(), 1 << 16);
                assertEquals("r1", state.get("robot_id"));
                assertEquals(Boolean.TRUE, state.get("online"));

                String[] noCert = {"status", "--robot", "r1", "--broker", broker.tlsUrl(), "--username",
                        MosquittoBroker.OPERATOR_USER, "--password-file", pw.toString(), "--cafile", ca.caCert().toString()};
                Run refused = run(noCert);
                assertEquals(1, refused.exit(), "no client certificate: " + refused.out() + refused.err());
                assertTrue(refused.err().contains("cannot connect"), refused.err());
                String[] rogueTrust = tls.clone();
                rogueTrust[List.of(tls).indexOf("--cafile") + 1] = rogue.caCert().toString();
                Run wrongCa = run(with(new String[] {"status"}, rogueTrust));
                assertEquals(1, wrongCa.exit(), "a broker certificate this CA did not sign: " + wrongCa.err());
                assertTrue(wrongCa.err().contains("cannot connect"), wrongCa.err());
            }
        }
    }
}
