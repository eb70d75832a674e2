package dev.chromatic.tools.demo;

import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.cmd.OperatorSigner;
import dev.chromatic.tools.run.WalkMeter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One start of the robot as an operator does it: the robot jar as its own process powers up
 * unarmed against a simulator server with a fresh operator key trusted for commands, the signed
 * policy is flashed over MQTT, the robot is armed by a signed command and kept armed by signed
 * heartbeats, stands up, settles and walks. The steps are separate calls so a caller can do its own work in
 * between (the demo records telemetry). What the robot did is measured by the server's
 * {@link WalkMeter} from the hand-over to the policy on, with the simulator's ground truth.
 */
final class RobotStart implements AutoCloseable {

    /** What a finished start did. */
    record Outcome(WalkMeter.Result walk, boolean handedOver, double settleWaitS, Map<String, Integer> safetyEvents,
                   List<String> events) {

        long safeStateEvents() {
            return safetyEvents.values().stream().mapToLong(Integer::longValue).sum();
        }

        /** Walked: no safety event and at least {@code minSpeedMps} from the hand-over on. */
        boolean walked(double minSpeedMps) {
            return handedOver && safeStateEvents() == 0 && walk.speedMps() >= minSpeedMps;
        }
    }

    /** Heartbeat period while armed: four per second against the robot's default 1 s link timeout. */
    static final long HEARTBEAT_MS = 250;

    private final String robotId;
    private final RobotProcess robot;
    private final RobotLink link;
    private final WalkMeter meter;
    private final long periodNs;
    private final long rampNs;
    private final OperatorSigner dashboardSigner;

    private RobotStart(String robotId, RobotProcess robot, RobotLink link, WalkMeter meter, long periodNs, long rampNs,
            OperatorSigner dashboardSigner) {
        this.robotId = robotId;
        this.dashboardSigner = dashboardSigner;
        this.robot = robot;
        this.link = link;
        this.meter = meter;
        this.periodNs = periodNs;
        this.rampNs = rampNs;
    }

    /**
     * Writes {@code dir/robot.properties}, starts the robot jar with it (log in {@code dir/robot.log})
     * and waits until it is online. The robot has an empty policy store trusting {@code trustedKeys},
     * and reaches the simulator at {@code simPort}. The robot and the operator link both reach the
     * broker with {@code brokerOptions}, checked against {@code brokerUrl} by the caller.
     *
     * @throws StepFailed naming the step when the robot does not come online
     */
    static RobotStart powerUp(Path robotJar, Path dir, String robotId, String brokerUrl, BrokerOptions brokerOptions,
            int simPort, long periodNs, Path trustedKeys, WalkMeter meter)
            throws IOException, InterruptedException, StepFailed {
        return powerUp(robotJar, dir, robotId, brokerUrl, brokerOptions, simPort, periodNs, 0L, trustedKeys, meter);
    }

    /** As above, over a link whose round trip may take up to {@code roundTripNs} (docs/hil.md). */
    static RobotStart powerUp(Path robotJar, Path dir, String robotId, String brokerUrl, BrokerOptions brokerOptions,
            int simPort, long periodNs, long roundTripNs, Path trustedKeys, WalkMeter meter)
            throws IOException, InterruptedException, StepFailed {
        Path store = Files.createDirectories(dir.resolve("policies"));
        Path operatorKeys = Files.createDirectories(dir.resolve("operator-keys"));
        KeyPair operator = PolicyKeys.generate();
        PolicyKeys.savePublic(operatorKeys.resolve(PolicyKeys.keyId(operator.getPublic()) + ".pub"), operator.getPublic());
        // a second operator for the dashboard: each key has its own counter, so the two never refuse each other's
        KeyPair dashboard = PolicyKeys.generate();
        PolicyKeys.savePublic(operatorKeys.resolve(PolicyKeys.keyId(dashboard.getPublic()) + ".pub"), dashboard.getPublic());
        Path config = dir.resolve("robot.properties");
        String properties = robotProperties(robotId, simPort, periodNs, store, trustedKeys)
                + RobotMqttSettings.properties(brokerUrl, brokerOptions, dir)
                + "cmd.operator_keys=" + operatorKeys.toAbsolutePath() + System.lineSeparator();
        if (roundTripNs > 0) {
            properties += "remote.round_trip_ms=" + roundTripNs / 1e6 + System.lineSeparator();
        }
        // owner-only: it may hold the passwords of the robot's key stores
        RobotMqttSettings.writeOwnerOnly(config, properties.getBytes(StandardCharsets.UTF_8));
        RobotProcess robot = RobotProcess.start(robotJar, config, dir.resolve("robot.log"));
        RobotLink link;
        try {
            link = new RobotLink(brokerUrl, brokerOptions, robotId, OperatorSigner.of(operator, robotId));
        } catch (Exception e) {
            robot.close();
            throw new StepFailed("runtime", "cannot reach the broker: " + e.getMessage());
        }
        RobotStart s = new RobotStart(robotId, robot, link, meter, periodNs, 1_000_000_000L,
                OperatorSigner.of(dashboard, robotId));
        if (!link.awaitState("\"online\":true", 30_000)) {
            String tail = robot.tail(5);
            s.close();
            throw new StepFailed("runtime", "the robot did not come online within 30 s: " + tail);
        }
        return s;
    }

    /**
     * The signer of the dashboard's own operator key (trusted by the robot next to the demo's): two
     * clients sharing one key over two connections could reach the robot out of counter order.
     */
    OperatorSigner dashboardSigner() {
        return dashboardSigner;
    }

    /** The robot's configuration but for the broker: the robot's defaults but for the HIL link and the store. */
    static String robotProperties(String robotId, int simPort, long periodNs, Path store, Path trusted) {
        return String.join(System.lineSeparator(),
                "# written by chromatic for a simulated start",
                "robot.id=" + robotId,
                "hal=remote:127.0.0.1:" + simPort,
                "loop.rate_hz=" + Math.round(1e9 / periodNs),
                "policy.store_dir=" + store.toAbsolutePath(),
                "policy.trusted_keys_dir=" + trusted.toAbsolutePath(),
                "policy.stack=minitaur-pmtg",
                "policy.health_window_s=3",
                "# The simulator shares this computer's cores with the robot process: allow 100 ms of",
                "# missing frames (the robot default is 3 cycles) before the safe state latches.",
                "safety.bad_sensor_cycles=" + Math.max(3, Math.round(0.1e9 / periodNs)),
                "telemetry.decimation=1",
                "telemetry.batch=20",
                "");
    }

    /**
     * Publishes the signed policy on the robot's {@code policy} topic and waits for the robot's
     * verdict on it.
     *
     * @throws StepFailed when the robot rejects it or does not answer in time
     */
    void flash(byte[] signed, long timeoutMs) throws Exception {
        String sha = sha256Hex(signed);
        link.publish("policy", signed);
        String verdict = link.awaitEvent(timeoutMs, "\"policy_verdict\"", sha);
        if (verdict == null) {
            throw new StepFailed("flash", "no verdict from the robot within " + timeoutMs / 1000 + " s: " + robot.tail(5));
        }
        if (!verdict.contains("\"verdict\":\"accepted\"")) {
            throw new StepFailed("flash", "the robot did not accept the policy: " + verdict);
        }
    }

    /**
     * Arms the robot and returns at once; the stand-up and the settle gate follow on the robot.
     *
     * @throws StepFailed when arming is refused or not answered
     */
    void arm() throws Exception {
        link.startHeartbeat(HEARTBEAT_MS);
        long seq = link.send(CommandKind.ARM);
        String armed = link.awaitEvent(10_000, "\"seq\":" + seq);
        if (armed == null || !armed.contains("\"armed\"")) {
            link.stopHeartbeat();
            if (armed == null) {
                throw new StepFailed("arm", "no answer to the arm command");
            }
            Object reason = parse(armed).get("reason");
            throw new StepFailed("arm", "refused: " + armed, reason == null ? null : String.valueOf(reason));
        }
    }

    /** Waits for the hand-over to the policy (false when none came in time, e.g. a fall during the stand-up). */
    boolean awaitHandOver(long timeoutMs) throws InterruptedException {
        return link.awaitEvent(timeoutMs, "\"handed_over\"") != null;
    }

    /** Disarms and measures the start: the walk from the hand-over on, safety events by reason. */
    Outcome finish() throws Exception {
        link.send(CommandKind.DISARM);
        link.stopHeartbeat();
        List<String> events = link.events();
        String handOver = events.stream().filter(e -> e.contains("\"handed_over\"")).findFirst().orElse(null);
        double settleWaitS = 0;
        int skip = Integer.MAX_VALUE;
        if (handOver != null) {
            Map<String, Object> e = parse(handOver);
            Object v = e.get("settle_wait_ms");
            settleWaitS = v instanceof Number n ? n.doubleValue() / 1000.0 : 0;
            long skipNs = rampNs + Math.round(settleWaitS * 1e9);
            skip = (int) Math.round(skipNs / (double) periodNs);
        }
        Map<String, Integer> safety = new TreeMap<>();
        for (String e : events) {
            if (e.contains("\"event\":\"safe_state\"")) {
                Object reason = parse(e).get("reason");
                safety.merge(String.valueOf(reason), 1, Integer::sum);
            }
        }
        WalkMeter.Result walk = handOver == null ? new WalkMeter.Result(0, 0, 0) : meter.result(skip);
        return new Outcome(walk, handOver != null, settleWaitS, safety, events);
    }

    RobotLink link() {
        return link;
    }

    String robotId() {
        return robotId;
    }

    /** The last lines of the robot's log. */
    String tail(int lines) {
        return robot.tail(lines);
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        } catch (JsonFormatException e) {
            return Map.of();
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the robot process (it damps its motors and says offline) and the operator link. */
    @Override
    public void close() {
        link.close();
        robot.close();
    }

    /** A step of a start failed; the message names it and why. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final String step;
        /** The robot's reason when it refused the step (e.g. an arm refused for {@code roll_limit}), or null. */
        final String refusal;

        StepFailed(String step, String why) {
            this(step, why, null);
        }

        StepFailed(String step, String why, String refusal) {
            super(why);
            this.step = step;
            this.refusal = refusal;
        }
    }
}
