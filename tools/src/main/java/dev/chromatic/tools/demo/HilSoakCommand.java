package dev.chromatic.tools.demo;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.sim.hil.ImpairingUdpProxy;
import dev.chromatic.sim.hil.MinitaurSimFactory;
import dev.chromatic.sim.hil.SimServer;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.run.WalkMeter;
import dev.chromatic.trainer.es.Rng;
import dev.chromatic.trainer.rollout.EnvOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic hil-soak}: N full starts of the robot as it runs on hardware, each a fresh robot
 * jar process against the Bullet simulator served over the HIL link at wall-clock pace: power up
 * unarmed (the simulated robot lies where a power-up start left it), flash the signed policy over
 * MQTT, arm, stand up, settle, walk. Optionally the link gets a delay per datagram. Prints one line
 * per start and the totals (one JSON object with --json).
 */
@Command(name = "hil-soak", mixinStandardHelpOptions = true,
        description = {"Runs N full starts of the robot jar (a fresh process each) over the HIL link against the",
                "simulator at wall-clock pace: power up, flash, arm, stand up, walk; reports how many walked."})
public final class HilSoakCommand implements Callable<Integer> {

    /** A start walked when it reached this speed after the hand-over with no safety event. */
    static final double WALK_MPS = 0.5;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy file (.cpol, signed or not).")
    Path policyFile;

    @Option(names = "--starts", defaultValue = "20", paramLabel = "N", description = "Starts (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S",
            description = "Walking time after the hand-over, per start (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--latency-ms", paramLabel = "A-B",
            description = "Delay every datagram of the link by a time drawn from [A, B] ms (in order), e.g. 0-20.")
    String latency;

    @Option(names = "--randomize", defaultValue = "none", paramLabel = "none|default|FILE",
            description = "Domain randomisation of the served simulator (default: ${DEFAULT-VALUE}); starts are always power-up starts.")
    String randomize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the starts' simulator seeds (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Keep each start's robot log and config here (default: a temporary folder).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (starts < 1 || starts > 1000) {
            throw new BadInputException("--starts must be in 1..1000, was " + starts);
        }
        if (!(seconds >= 1) || seconds > 600) {
            throw new BadInputException("--seconds must be in 1..600, was " + seconds);
        }
        long[] delay = latencyRangeNs(latency);
        EnvOptions options;
        try {
            options = EnvOptions.parse("robot", randomize);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
        if (!Files.isRegularFile(policyFile)) {
            throw new BadInputException("--policy: no such file " + policyFile);
        }
        LoadedPolicy policy = PolicyFiles.load(PolicyFiles.read(policyFile), TrustedKeys.none(), false);
        long periodNs = policy.policy().controlPeriodNs();
        Path home = DemoCommand.home();
        Path robotJar = home.resolve("onboard-runtime").resolve("target").resolve("chromatic-robot.jar");
        Path dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("chromatic-hil-soak");
        Path trusted = Files.createDirectories(dir.resolve("trusted-keys"));
        KeyPair keys = PolicyKeys.generate();
        String keyId = PolicyKeys.keyId(keys.getPublic());
        PolicyKeys.savePublic(trusted.resolve(keyId + ".pub"), keys.getPublic());
        byte[] signed = PolicyEnvelope.sign(PolicyFiles.read(policyFile), keys.getPrivate(), keyId,
                System.currentTimeMillis() / 1000);

        List<Map<String, Object>> rows = new ArrayList<>();
        int walked = 0;
        int falls = 0;
        Map<String, Integer> safety = new TreeMap<>();
        Map<String, Integer> refusals = new TreeMap<>();
        List<Double> speeds = new ArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            for (int i = 0; i < starts; i++) {
                long simSeed = Rng.deriveSeed(seed, 17, i);
                Map<String, Object> row = runStart(i, simSeed, dir.resolve("start-" + (i + 1)), robotJar, broker.url(),
                        periodNs, trusted, signed, options, delay);
                rows.add(row);
                boolean ok = Boolean.TRUE.equals(row.get("walked"));
                walked += ok ? 1 : 0;
                @SuppressWarnings("unchecked")
                Map<String, Integer> s = (Map<String, Integer>) row.get("safety_events");
                s.forEach((k, v) -> safety.merge(k, v, Integer::sum));
                if (row.get("arm_refused") instanceof String why) {
                    refusals.merge(why, 1, Integer::sum);
                }
                falls += s.containsKey("roll_limit") || s.containsKey("pitch_limit") ? 1 : 0;
                if (row.get("speed_mps") instanceof Double v) {
                    speeds.add(v);
                }
                if (!json) {
                    System.out.println(line(i + 1, row));
                }
            }
        } finally {
            if (out == null) {
                deleteTree(dir);
            }
        }
        Map<String, Object> speed = new LinkedHashMap<>();
        speed.put("mean", speeds.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        speed.put("min", speeds.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        JsonWriter total = new JsonWriter().put("starts", starts).put("walked", walked).put("falls", falls)
                .putRaw("safety_events", Json.write(safety)).putRaw("arm_refused", Json.write(refusals))
                .putRaw("speed_mps", Json.write(speed))
                .put("latency_ms", latency == null ? "none" : latency).put("randomize", randomize)
                .put("seconds", seconds).put("walk_threshold_mps", WALK_MPS);
        if (json) {
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < rows.size(); i++) {
                list.append(i == 0 ? "" : ",").append(Json.write(rows.get(i)));
            }
            System.out.println(total.putRaw("runs", list.append(']').toString()));
        } else {
            System.out.printf(Locale.ROOT, "%d of %d starts walked (>= %.1f m/s, no safety event); falls %d; safety events %s;"
                            + " arms refused %s; speed mean %.3f m/s, min %.3f m/s%n", walked, starts, WALK_MPS, falls, safety,
                    refusals,
                    speed.get("mean"), speed.get("min"));
        }
        return walked == starts ? 0 : 1;
    }

    private Map<String, Object> runStart(int index, long simSeed, Path startDir, Path robotJar, String brokerUrl,
            long periodNs, Path trusted, byte[] signed, EnvOptions options, long[] delay) throws Exception {
        Files.createDirectories(startDir);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("start", index + 1);
        row.put("sim_seed", simSeed);
        WalkMeter meter = new WalkMeter(new MinitaurSimFactory(periodNs, s -> options.simConfig(periodNs, s)));
        long jitterNs = delay == null ? 0L : delay[1] - delay[0];
        long roundTripNs = delay == null ? 0L : 2 * delay[1];
        try (SimServer server = new SimServer(meter, 8, simSeed, true, "127.0.0.1", 0, jitterNs, NanoClock.system())) {
            Thread serving = new Thread(server, "sim-server");
            serving.setDaemon(true);
            serving.start();
            ImpairingUdpProxy proxy = delay == null ? null : new ImpairingUdpProxy(server.port(), simSeed, 0.0, delay[0],
                    delay[1] - delay[0], 0.0, 0.0, 0L, 3_600_000_000_000L);
            int port = proxy == null ? server.port() : proxy.port();
            try (RobotStart start = RobotStart.powerUp(robotJar, startDir, "soak", brokerUrl, BrokerOptions.none(), port,
                    periodNs, roundTripNs, trusted, meter)) {
                start.flash(signed, 30_000);
                Thread.sleep(500);
                start.arm();
                start.awaitHandOver(5_000);
                Thread.sleep(Math.round(seconds * 1000));
                RobotStart.Outcome o = start.finish();
                row.put("walked", o.walked(WALK_MPS));
                row.put("handed_over", o.handedOver());
                row.put("settle_wait_s", o.settleWaitS());
                row.put("distance_m", o.walk().distanceM());
                row.put("speed_mps", o.walk().speedMps());
                row.put("safety_events", o.safetyEvents());
            } catch (RobotStart.StepFailed e) {
                row.put("walked", false);
                row.put("failed_step", e.step);
                row.put("error", e.getMessage());
                if (e.step.equals("arm") && e.refusal != null) {
                    row.put("arm_refused", e.refusal);
                }
                row.put("safety_events", Map.of());
            } finally {
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
        return row;
    }

    private static String line(int n, Map<String, Object> row) {
        if (row.containsKey("failed_step")) {
            return String.format(Locale.ROOT, "start %3d: step '%s' failed: %s", n, row.get("failed_step"), row.get("error"));
        }
        return String.format(Locale.ROOT, "start %3d: %s, %.2f m at %.3f m/s after a %.2f s settle, safety events %s",
                n, Boolean.TRUE.equals(row.get("walked")) ? "walked" : "did NOT walk", row.get("distance_m"),
                row.get("speed_mps"), row.get("settle_wait_s"), row.get("safety_events"));
    }

    /** {@code A-B} in ms as [A, B] in ns; null for none. */
    static long[] latencyRangeNs(String text) {
        if (text == null) {
            return null;
        }
        String[] p = text.split("-");
        try {
            if (p.length == 2) {
                double a = Double.parseDouble(p[0].trim());
                double b = Double.parseDouble(p[1].trim());
                if (a >= 0 && b >= a && b <= 1000) {
                    return new long[] {Math.round(a * 1e6), Math.round(b * 1e6)};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException("--latency-ms must be A-B with 0 <= A <= B <= 1000, was '" + text + "'");
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
