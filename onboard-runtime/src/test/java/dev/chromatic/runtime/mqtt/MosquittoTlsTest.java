package dev.chromatic.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.events.SafetyState;
import dev.chromatic.runtime.loop.FakeStep;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.loop.StandUpSettings;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.Rejection;
import dev.chromatic.runtime.operator.SignedCommand;
import dev.chromatic.runtime.operator.TestOperator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot's link to a real Mosquitto over TLS with a password file and the per-robot ACL of
 * docs/deploy.md: certificates made here by a throw-away CA ({@link TestPki}), a second CA playing a
 * stranger's. What each attack gets is printed as "attack -> outcome". Skipped with a message where
 * mosquitto or openssl is not installed.
 */
class MosquittoTlsTest {

    private static final String ROBOT = "r1";
    private static final long PERIOD_NS = 10_000_000L;
    private static final char[] STORE_PW = TestPki.STORE_PASSWORD.toCharArray();

    @TempDir
    static Path pkiDir;
    private static TestPki ca;
    private static TestPki rogue;
    private static TestPki.Issued server;
    private static TestPki.Issued robotCert;
    private static TestPki.Issued robot2Cert;
    private static TestPki.Issued operatorCert;
    private static TestPki.Issued rogueClient;

    private final TestOperator operator = new TestOperator(ROBOT);

    @BeforeAll
    static void makeCertificates() throws Exception {
        assumeTrue(MosquittoBroker.available(), "mosquitto not installed");
        assumeTrue(TestPki.available(), "openssl not installed");
        ca = new TestPki(pkiDir.resolve("ca"), "fleet");
        rogue = new TestPki(pkiDir.resolve("rogue"), "rogue");
        server = ca.server("broker");
        robotCert = ca.client("robot");
        robot2Cert = ca.client("robot2");
        operatorCert = ca.client("operator");
        rogueClient = rogue.client("robot");
    }

    private static MosquittoBroker broker(Path dir, boolean requireCertificate) throws Exception {
        return new MosquittoBroker(dir, ROBOT, new MosquittoBroker.Tls(ca.caCert(), server.cert(), server.key(),
                requireCertificate), 0);
    }

    /** The robot's settings: TLS with the fleet's trust store and, unless null, a client key store. */
    private static MqttSettings robotTls(MosquittoBroker b, Path trustStore, Path keyStore, String user, String pw) {
        return new MqttSettings(b.tlsUrl(), "chromatic-" + user + "-" + System.nanoTime(), user, pw.toCharArray(),
                trustStore, STORE_PW, keyStore, keyStore == null ? null : STORE_PW, 5, 1000, 200);
    }

    private static SocketFactory tls(TestPki.Issued client) throws Exception {
        return MqttLink.socketFactory(new MqttSettings("ssl://127.0.0.1:1", "x", null, null, ca.trustStore(), STORE_PW,
                client == null ? null : client.pkcs12(), STORE_PW, 5, 1, 100));
    }

    private RobotRuntime robot(MqttSettings mqtt) throws Exception {
        RobotLoop loop = RobotLoop.context().hardware(new StandInHardware(NanoClock.system(), PERIOD_NS))
                .clock(NanoClock.system()).settings(new LoopSettings(PERIOD_NS, 1, 8, false))
                .standUp(StandUpSettings.immediate()).telemetry(4096).build();
        RobotRuntime rt = new RobotRuntime(ROBOT, loop, mqtt, 10, CommandSettings.of(operator.trust(), CounterStore.inMemory()));
        rt.control().offerPolicy(new InstalledPolicy(new FakeStep(), "ab".repeat(32), 4, true, PERIOD_NS));
        rt.startTelemetryThread(t -> { });
        rt.startLoopThread(500_000L, 0, -1, t -> { });
        return rt;
    }

    private static void outcome(String attack, String outcome) {
        System.out.println("attack -> outcome: " + attack + " -> " + outcome);
    }

    @Test
    void overMutualTlsTheRobotObeysSignedCommandsAndRefusesAnUnsignedArm(@TempDir Path dir) throws Exception {
        try (MosquittoBroker b = broker(dir, true);
             RobotRuntime rt = robot(robotTls(b, ca.trustStore(), robotCert.pkcs12(), MosquittoBroker.ROBOT_USER,
                     MosquittoBroker.ROBOT_PASSWORD));
             Observer op = new Observer(b.tlsUrl(), ROBOT, tls(operatorCert))) {
            Observer.await("robot online over TLS", 10_000, () -> op.lastState().contains("\"online\":true"));
            op.send("{\"seq\": 1, \"cmd\": \"arm\"}");
            Observer.await("unsigned arm rejected", 5000, () -> op.events.stream()
                    .anyMatch(e -> e.contains("command_rejected") && e.contains("\"unsigned\"")));
            assertEquals(SafetyState.DISARMED, rt.safety().state(), "the unsigned arm did not arm");
            outcome("unsigned arm from the operator account over TLS", "command_rejected unsigned, robot disarmed");
            op.send(operator.sign(CommandKind.ARM));
            Observer.await("armed by a signed arm", 5000, () -> rt.safety().isArmed());
            assertEquals(1, rt.commands().rejected(Rejection.UNSIGNED));
            assertEquals(1, rt.link().connects());
        }
    }

    @Test
    void withoutRequiredClientCertificatesTheTrustStoreAloneConnects(@TempDir Path dir) throws Exception {
        try (MosquittoBroker b = broker(dir, false);
             RobotRuntime rt = robot(robotTls(b, ca.trustStore(), null, MosquittoBroker.ROBOT_USER,
                     MosquittoBroker.ROBOT_PASSWORD))) {
            Observer.await("robot connected", 10_000, () -> rt.link().isConnected());
        }
    }

    @Test
    void clientsWithoutATrustedCertificateAndBrokersOfAnotherCaAreRefused(@TempDir Path dir) throws Exception {
        try (MosquittoBroker b = broker(dir, true)) {
            String[][] cases = {
                    {"robot credentials, no client certificate", null, "fleet"},
                    {"robot credentials, client certificate of another CA", rogueClient.pkcs12().toString(), "fleet"},
                    {"robot trusting another CA (a broker in the middle)", robotCert.pkcs12().toString(), "rogue"}};
            for (String[] c : cases) {
                Path trust = c[2].equals("fleet") ? ca.trustStore() : rogue.trustStore();
                MqttSettings s = robotTls(b, trust, c[1] == null ? null : Path.of(c[1]), MosquittoBroker.ROBOT_USER,
                        MosquittoBroker.ROBOT_PASSWORD);
                try (MqttLink link = new MqttLink(s, "chromatic/" + ROBOT + "/state", "{}".getBytes(StandardCharsets.UTF_8))) {
                    link.doWork(System.nanoTime());
                    Observer.await("connection refused: " + c[0], 10_000, () -> link.connectFailures() >= 1);
                    assertEquals(0, link.connects(), c[0]);
                    if (c[2].equals("rogue")) {
                        assertTrue(link.lastError().contains("SSLHandshakeException"), "the robot refused the broker's "
                                + "certificate: " + link.lastError());
                    }
                    outcome(c[0], "TLS handshake refused (" + link.lastError() + ")");
                }
            }
            // a tool without a client certificate gets no further either
            MqttClient anon = new MqttClient(b.tlsUrl(), "anon-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setSocketFactory(tls(null));
            o.setUserName(MosquittoBroker.OPERATOR_USER);
            o.setPassword(MosquittoBroker.OPERATOR_PASSWORD.toCharArray());
            o.setConnectionTimeout(5);
            MqttException refused = assertThrows(MqttException.class, () -> anon.connect(o));
            anon.close();
            outcome("operator password without a client certificate", "refused (" + refused.getMessage() + ")");
        }
    }

    @Test
    void aSecondRobotCanNeitherCommandNorReadThisRobotsCmdTopic(@TempDir Path dir) throws Exception {
        try (MosquittoBroker b = broker(dir, true);
             RobotRuntime rt = robot(robotTls(b, ca.trustStore(), robotCert.pkcs12(), MosquittoBroker.ROBOT_USER,
                     MosquittoBroker.ROBOT_PASSWORD));
             Observer op = new Observer(b.tlsUrl(), ROBOT, tls(operatorCert))) {
            Observer.await("robot online", 10_000, () -> op.lastState().contains("\"online\":true"));
            op.send(operator.sign(CommandKind.ARM));
            Observer.await("armed", 5000, () -> rt.safety().isArmed());

            MqttClient other = new MqttClient(b.tlsUrl(), "chromatic-" + MosquittoBroker.OTHER_ROBOT_ID,
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setSocketFactory(tls(robot2Cert));
            o.setUserName(MosquittoBroker.ROBOT2_USER);
            o.setPassword(MosquittoBroker.ROBOT2_PASSWORD.toCharArray());
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            other.connect(o);
            List<String> spied = new CopyOnWriteArrayList<>();
            List<String> ownCmd = new CopyOnWriteArrayList<>();
            String subscribed;
            try {
                other.subscribe("chromatic/" + ROBOT + "/cmd", 1, (t, m) -> spied.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
                subscribed = "SUBACK granted, nothing delivered";
            } catch (MqttException refusedSubscription) {
                subscribed = "SUBACK refused (" + refusedSubscription.getReasonCode() + ")";
            }
            other.subscribe("chromatic/" + MosquittoBroker.OTHER_ROBOT_ID + "/cmd", 1,
                    (t, m) -> ownCmd.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
            // an E-stop needs no signature: only the ACL keeps it from this robot
            other.publish("chromatic/" + ROBOT + "/cmd", SignedCommand.estop().getBytes(StandardCharsets.UTF_8), 1, false);
            long received = rt.commands().rejectedTotal() + rt.commands().accepted();
            op.send(operator.sign(CommandKind.DISARM));
            Observer.await("disarmed by the operator", 5000, () -> op.events.stream().anyMatch(e -> e.contains("\"event\":\"disarmed\"")));
            assertEquals(SafetyState.DISARMED, rt.safety().state(), "the second robot's E-stop never reached this robot");
            assertEquals(0, rt.commands().lastEstopNs(), "no E-stop arrived");
            assertEquals(received + 1, rt.commands().rejectedTotal() + rt.commands().accepted(), "only the operator's disarm arrived");
            outcome("second robot publishes an E-stop on r1/cmd", "dropped by the ACL; r1 stayed armed until the operator disarmed it");

            // the operator's messages to r1 and then to r2 reach subscribers in that order: once the marker
            // on r2/cmd is in, anything r2 could read on r1/cmd would be too
            op.sendTo(MosquittoBroker.OTHER_ROBOT_ID, "marker");
            Observer.await("marker on the second robot's own cmd", 5000, () -> ownCmd.contains("marker"));
            assertEquals(List.of(), spied, "the second robot read this robot's commands");
            outcome("second robot subscribes to r1/cmd", subscribed);
            other.disconnect();
            other.close();
        }
    }
}
