package dev.chromatic.tools.demo;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.PolicyStats;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.hil.MinitaurSimFactory;
import dev.chromatic.sim.hil.SimServer;
import dev.chromatic.tools.Main;
import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.run.WalkMeter;
import dev.chromatic.tools.watch.TelemetryStats;
import dev.chromatic.tools.watch.TelemetryWatch;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic demo}: the whole system on embedded defaults. Trains (or takes the shipped)
 * chromatic policy, signs it with a demo key, starts an embedded MQTT broker and the Bullet
 * simulator as a hardware-in-the-loop server, starts the onboard runtime as its own process
 * against it, flashes the policy over MQTT, arms the robot, records telemetry while it walks and
 * prints a summary. Exit 0 on success; otherwise one line naming the failed step.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train, sign, flash over MQTT and run a chromatic policy on the simulated robot, end to end.",
                "Writes the policy, training curve, gait pictures and telemetry to --out."})
public final class DemoCommand implements Callable<Integer> {

    static final String ROBOT_ID = "demo";

    @Option(names = "--quick", description = "Skip training: flash the shipped policies/minitaur-pmtg.cpol.")
    boolean quick;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seconds", defaultValue = "20", paramLabel = "S", description = "How long the robot runs (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--iterations", defaultValue = "130", paramLabel = "N",
            description = "ES iterations of the training run (default: ${DEFAULT-VALUE}; that checkpoint of the shipped run walked 0.94 m/s).")
    int iterations;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S",
            description = "Training seed (default: ${DEFAULT-VALUE}, the shipped policy's seed).")
    long seed;

    @Option(names = "--realtime", description = {"Pace the simulator at wall-clock speed (a late robot cycle then",
            "changes the physics, as on hardware); by default it steps once per command (lockstep)."})
    boolean realtime;

    @Option(names = "--policy", paramLabel = "FILE", description = "Use this policy instead of training or the shipped one.")
    Path policyOverride;

    private int step;
    private int steps;
    private long startNs;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 3600) {
            throw new dev.chromatic.tools.BadInputException("--seconds must be 1..3600, was " + seconds);
        }
        if (iterations < 1) {
            throw new dev.chromatic.tools.BadInputException("--iterations must be >= 1, was " + iterations);
        }
        Path home = home();
        startNs = System.nanoTime();
        steps = quick || policyOverride != null ? 8 : 9;
        Files.createDirectories(out);
        Path robotDir = out.resolve("robot");
        Path trusted = robotDir.resolve("trusted-keys");
        Path store = robotDir.resolve("policies");
        deleteTree(robotDir);
        Files.createDirectories(trusted);
        Files.createDirectories(store);
        Path policyFile = out.resolve("policy.cpol");

        begin("preparing the policy");
        if (policyOverride != null || quick) {
            Path src = policyOverride != null ? policyOverride : home.resolve("policies").resolve("minitaur-pmtg.cpol");
            if (!Files.isRegularFile(src)) {
                return fail("policy", "no policy at " + src);
            }
            LoadedPolicy lp = PolicyFiles.load(src, TrustedKeys.none(), false);
            PolicyFiles.write(policyFile, lp.policy());
            say("using " + src);
        } else {
            say("training a 17-color chromatic policy for minitaur-pmtg with the shipped policy's recipe "
                    + "(policies/README.md) for " + iterations + " ES iterations, seed " + seed);
            int rc = Main.commandLine().execute("train", "--env", "minitaur-pmtg", "--structure", "chromatic",
                    "--colors", "17", "--hidden", "41", "--controller", "evolution", "--controller-reward", "raw",
                    "--seed", Long.toString(seed), "--iterations", Integer.toString(iterations),
                    "--perturbations", "8", "--exact", "4", "--init-scale", "0.1", "--eval-episodes", "3",
                    "--out", policyFile.toString());
            if (rc != 0) {
                return fail("training", "chromatic train exited with " + rc);
            }
        }
        LoadedPolicy unsigned = PolicyFiles.load(policyFile, TrustedKeys.none(), false);
        PolicyStats stats = PolicyStats.of(unsigned.policy());

        begin("signing the policy with a demo key");
        KeyPair keys = PolicyKeys.generate();
        String keyId = PolicyKeys.keyId(keys.getPublic());
        Path keyDir = out.resolve("keys");
        Files.createDirectories(keyDir);
        PolicyKeys.savePrivate(keyDir.resolve(keyId + ".key"), keys.getPrivate());
        PolicyKeys.savePublic(keyDir.resolve(keyId + ".pub"), keys.getPublic());
        PolicyKeys.savePublic(trusted.resolve(keyId + ".pub"), keys.getPublic());
        long version = System.currentTimeMillis() / 1000;
        byte[] signed = PolicyEnvelope.sign(PolicyFiles.read(policyFile), keys.getPrivate(), keyId, version);
        Path signedFile = out.resolve("policy.signed.cpol");
        PolicyFiles.writeBytes(signedFile, signed);
        say("key " + keyId + ", policy version " + version + " -> " + signedFile);

        begin("starting the embedded MQTT broker");
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0)) {
            say(broker.url());

            begin("starting the simulated robot (Bullet, served over the HIL link)");
            long periodNs = unsigned.policy().controlPeriodNs();
            WalkMeter meter = new WalkMeter(new MinitaurSimFactory(periodNs,
                    s -> SimConfig.builder().controlPeriodNs(periodNs).seed(s).build()));
            try (SimServer server = new SimServer(meter, 8, seed, realtime, "127.0.0.1", 0, NanoClock.system())) {
                Thread serving = new Thread(server, "sim-server");
                serving.setDaemon(true);
                serving.start();
                say("udp://127.0.0.1:" + server.port() + (realtime ? ", real-time pacing" : ", lockstep") + ", period "
                        + periodNs / 1_000_000 + " ms");

                begin("starting the onboard runtime as its own process");
                Path config = robotDir.resolve("robot.properties");
                Files.writeString(config, robotProperties(broker.url(), server.port(), periodNs, store, trusted), StandardCharsets.UTF_8);
                Path robotJar = home.resolve("onboard-runtime").resolve("target").resolve("chromatic-robot.jar");
                try (RobotProcess robot = RobotProcess.start(robotJar, config, robotDir.resolve("robot.log"));
                     RobotLink link = new RobotLink(broker.url(), ROBOT_ID)) {
                    if (!link.awaitState("\"online\":true", 30_000)) {
                        return fail("runtime", "the robot did not come online within 30 s: " + robot.tail(5));
                    }
                    say("robot '" + ROBOT_ID + "' online (java -jar " + home.relativize(robotJar) + " --config " + config + ")");

                    begin("flashing the signed policy over MQTT");
                    int rc = Main.commandLine().execute("flash", "--robot", ROBOT_ID, "--broker", broker.url(),
                            "--timeout", "30", signedFile.toString());
                    if (rc != 0) {
                        return fail("flash", "the robot did not accept the policy (exit " + rc + "): " + robot.tail(5));
                    }

                    begin("arming and walking for " + seconds + " s while recording telemetry");
                    TelemetryWatch watch = new TelemetryWatch(broker.url(), ROBOT_ID,
                            out.resolve("telemetry.csv"), out.resolve("telemetry.png"));
                    TelemetryStats[] result = new TelemetryStats[1];
                    Exception[] watchError = new Exception[1];
                    Thread watcher = new Thread(() -> {
                        try {
                            result[0] = watch.run((double) seconds + 1.0, () -> false, System.err);
                        } catch (Exception e) {
                            watchError[0] = e;
                        }
                    }, "demo-telemetry");
                    watcher.start();
                    Thread.sleep(500);
                    long armSeq = link.send("arm");
                    String armed = link.awaitEvent(10_000, "\"seq\":" + armSeq);
                    if (armed == null || !armed.contains("\"armed\"")) {
                        watcher.interrupt();
                        return fail("arm", armed == null ? "no answer to the arm command" : "refused: " + armed);
                    }
                    watcher.join();
                    link.send("disarm");
                    WalkMeter.Result walk = meter.result();
                    System.err.println();
                    if (watchError[0] != null) {
                        return fail("telemetry", watchError[0].getMessage());
                    }
                    TelemetryStats tel = result[0];

                    begin("drawing the gait");
                    int renderRc = Main.commandLine().execute("render", "--policy", policyFile.toString(),
                            "--seconds", "10", "--seed", Long.toString(seed), "--out", out.resolve("gait").toString());
                    if (renderRc != 0) {
                        return fail("render", "chromatic render exited with " + renderRc);
                    }

                    List<String> events = link.events();
                    long safeEvents = events.stream().filter(e -> e.contains("\"event\":\"safe_state\"")).count();
                    String summary = summary(stats, Files.size(signedFile), walk, tel, safeEvents, events.size());
                    System.out.println();
                    System.out.println(summary);
                    Files.writeString(out.resolve("summary.txt"), summary + System.lineSeparator(), StandardCharsets.UTF_8);
                    Files.writeString(out.resolve("summary.json"), json(stats, Files.size(signedFile), walk, tel, safeEvents)
                            + System.lineSeparator(), StandardCharsets.UTF_8);
                    if (tel.samples() == 0) {
                        return fail("telemetry", "no telemetry received");
                    }
                    if (safeEvents > 0) {
                        return fail("walk", "the safety supervisor latched the safe state (" + tel.state()
                                + "); see " + robotDir.resolve("robot.log") + " and " + out.resolve("telemetry.csv"));
                    }
                    return 0;
                }
            }
        }
    }

    private String robotProperties(String brokerUrl, int simPort, long periodNs, Path store, Path trusted) {
        return String.join(System.lineSeparator(),
                "# written by chromatic demo",
                "robot.id=" + ROBOT_ID,
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
                "mqtt.url=" + brokerUrl,
                "");
    }

    private String summary(PolicyStats p, long fileBytes, WalkMeter.Result m, TelemetryStats t, long safeEvents, int events) {
        return String.format(Locale.ROOT, String.join(System.lineSeparator(),
                        "chromatic demo summary",
                        "  policy     %d distinct weights + %d biases (%d params), %d edges, %d bytes signed, %.1f%% fewer parameters than unstructured",
                        "  walk       %.2f m in %.1f s (%.2f m/s), return %.1f",
                        "  loop       %.1f Hz, lateness p50 %d us, p99 %d us, max %d us, overruns %d, missed %d",
                        "  telemetry  %d samples in %d batches (%d lost), %d dropped on the robot",
                        "  safety     %d safe-state events, %d events in all, final state %s",
                        "  output     %s (policy, training curve, gait pictures, telemetry.csv/png, robot log)",
                        "  took       %.0f s"),
                p.weightParams(), p.biasParams(), p.totalParams(), p.edges(), fileBytes, 100 * p.compression(),
                m.distanceM(), m.drivenSeconds(), m.drivenSeconds() > 0 ? m.distanceM() / m.drivenSeconds() : 0.0,
                m.walkReturn(),
                t.rateHz(), t.latenessPercentileNs(50) / 1000, t.latenessPercentileNs(99) / 1000, t.latenessMaxNs() / 1000,
                t.overruns(), t.missed(),
                t.samples(), t.batches(), t.lostBatches(), t.dropped(),
                safeEvents, events, t.state(),
                out, (System.nanoTime() - startNs) / 1e9);
    }

    private String json(PolicyStats p, long fileBytes, WalkMeter.Result m, TelemetryStats t, long safeEvents) {
        return String.format(Locale.ROOT, "{\"weights\":%d,\"total_params\":%d,\"file_bytes\":%d,\"compression\":%.3f,"
                        + "\"distance_m\":%.4f,\"driven_s\":%.2f,\"return\":%.3f,\"rate_hz\":%.2f,"
                        + "\"lateness_p50_us\":%d,\"lateness_p99_us\":%d,\"lateness_max_us\":%d,\"telemetry_samples\":%d,"
                        + "\"telemetry_batches\":%d,\"safe_state_events\":%d,\"final_state\":\"%s\"}",
                p.weightParams(), p.totalParams(), fileBytes, p.compression(), m.distanceM(), m.drivenSeconds(),
                m.walkReturn(), t.rateHz(), t.latenessPercentileNs(50) / 1000, t.latenessPercentileNs(99) / 1000,
                t.latenessMaxNs() / 1000, t.samples(), t.batches(), safeEvents, t.state());
    }

    private void begin(String what) {
        step++;
        System.err.printf(Locale.ROOT, "[%d/%d %4.0fs] %s%n", step, steps, (System.nanoTime() - startNs) / 1e9, what);
    }

    private static void say(String what) {
        System.err.println("         " + what);
    }

    private int fail(String stepName, String why) {
        System.err.println("chromatic demo: step '" + stepName + "' failed: " + why);
        return 1;
    }

    /**
     * The checkout: the {@code chromatic.home} property, else CHROMATIC_HOME (set by the launcher),
     * else the folder above the tools jar's module that holds {@code policies/} and {@code pom.xml}.
     */
    static Path home() throws URISyntaxException {
        String env = System.getProperty("chromatic.home", System.getenv("CHROMATIC_HOME"));
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path p = jar.getParent();
        for (int i = 0; i < 3 && p != null; i++) {
            if (Files.isDirectory(p.resolve("policies")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        return Path.of("").toAbsolutePath();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
