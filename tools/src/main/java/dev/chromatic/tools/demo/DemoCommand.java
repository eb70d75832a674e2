package dev.chromatic.tools.demo;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.runtime.policy.LoadedPolicy;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.PolicyStats;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.sim.hil.MinitaurSimFactory;
import dev.chromatic.sim.hil.SimServer;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.tools.broker.BrokerOptions;
import dev.chromatic.tools.broker.BrokerSession;
import dev.chromatic.tools.dashboard.DashboardServer;
import dev.chromatic.tools.run.EmbeddedBroker;
import dev.chromatic.tools.run.WalkMeter;
import dev.chromatic.tools.sim.RenderCommand;
import dev.chromatic.tools.train.TrainCommand;
import dev.chromatic.tools.watch.TelemetryStats;
import dev.chromatic.tools.watch.TelemetryWatch;
import dev.chromatic.trainer.TrainConfig;
import dev.chromatic.trainer.TrainingRun;
import dev.chromatic.trainer.rollout.EnvOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chromatic demo}: the whole system on embedded defaults. Trains (or takes the shipped)
 * chromatic policy, signs it with a demo key, starts an embedded MQTT broker (or uses the one of
 * {@code --broker}) and the Bullet simulator as a hardware-in-the-loop server, starts the onboard
 * runtime as its own process against it, flashes the policy over MQTT, arms the robot, records
 * telemetry while it walks and prints a summary. While the robot runs, the dashboard serves it on a
 * free loopback port (its URL is printed). Exit 0 on success, 2 for bad options; otherwise one line
 * naming the failed step.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train, sign, flash over MQTT and run a chromatic policy on the simulated robot, end to end.",
                "Writes the policy, training curve, gait pictures and telemetry to --out.",
                "--broker URL uses that MQTT broker instead of an embedded one: the robot,",
                "the operator link, the telemetry recording and the dashboard all connect",
                "with the broker options below (the robot gets --cafile, --tls-cert and",
                "--tls-key as PKCS12 stores in --out/robot). See docs/deploy.md."})
public final class DemoCommand implements Callable<Integer> {

    static final String ROBOT_ID = "demo";

    @Option(names = "--quick", description = "Skip training: flash the shipped policies/minitaur-pmtg.cpol.")
    boolean quick;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seconds", defaultValue = "20", paramLabel = "S", description = "How long the robot runs (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--iterations", paramLabel = "N",
            description = {"ES iterations of the training run (default: 30 when fine-tuning the shipped policy,",
                    "400 with --from-scratch, the shipped recipe of policies/README.md)."})
    Integer iterations;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S",
            description = "Training seed (default: ${DEFAULT-VALUE}, the shipped policy's seed).")
    long seed;

    @Option(names = "--realtime", description = {"Pace the simulator at wall-clock speed (a late robot cycle then",
            "changes the physics, as on hardware); by default it steps once per command (lockstep)."})
    boolean realtime;

    @Option(names = "--policy", paramLabel = "FILE", description = "Use this policy instead of training or the shipped one.")
    Path policyOverride;

    @Option(names = "--from-scratch", description = "Train from scratch instead of fine-tuning the shipped policy.")
    boolean fromScratch;

    @Option(names = "--broker", paramLabel = "URL",
            description = "Use this MQTT broker, tcp://HOST[:PORT] or ssl://HOST[:PORT] (default: an embedded one).")
    String broker;

    @Mixin
    BrokerOptions brokerOptions = new BrokerOptions();

    private int step;
    private int steps;
    private long startNs;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 3600) {
            throw new BadInputException("--seconds must be 1..3600, was " + seconds);
        }
        if (iterations == null) {
            iterations = fromScratch ? 400 : 30;
        }
        if (iterations < 1) {
            throw new BadInputException("--iterations must be >= 1, was " + iterations);
        }
        checkBroker(broker, brokerOptions);
        Path home = home();
        startNs = System.nanoTime();
        steps = quick || policyOverride != null ? 8 : 9;
        Files.createDirectories(out);
        Path robotDir = out.resolve("robot");
        Path trusted = robotDir.resolve("trusted-keys");
        deleteTree(robotDir);
        Files.createDirectories(trusted);
        Path policyFile = out.resolve("policy.cpol");
        Path shipped = home.resolve("policies").resolve("minitaur-pmtg.cpol");

        if (broker != null) {
            // before the policy is prepared: a wrong address should not cost a training run
            begin("connecting to the MQTT broker " + broker);
            try (BrokerSession probe = BrokerSession.connect(broker, "demo-probe", 10, brokerOptions)) {
                say("an existing broker: no embedded one is started; every client of the demo connects to it"
                        + (brokerOptions.username() == null ? "" : " as '" + brokerOptions.username() + "'"));
            } catch (BrokerSession.BrokerException e) {
                return fail("broker", e.getMessage());
            }
        }

        begin("preparing the policy");
        if (policyOverride != null || quick) {
            Path src = policyOverride != null ? policyOverride : shipped;
            if (!Files.isRegularFile(src)) {
                return fail("policy", "no policy at " + src);
            }
            LoadedPolicy lp = PolicyFiles.load(src, TrustedKeys.none(), false);
            PolicyFiles.write(policyFile, lp.policy());
            say("using " + src);
        } else {
            String failure = train(shipped, policyFile);
            if (failure != null) {
                return fail("training", failure);
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

        if (broker == null) {
            begin("starting the embedded MQTT broker");
        }
        try (EmbeddedBroker embedded = broker == null ? EmbeddedBroker.start("127.0.0.1", 0) : null) {
            String brokerUrl = embedded == null ? broker : embedded.url();
            if (embedded != null) {
                say(brokerUrl);
            }

            begin("starting the simulated robot (Bullet, served over the HIL link)");
            long periodNs = unsigned.policy().controlPeriodNs();
            EnvOptions simOptions = EnvOptions.parse("robot", "none");
            WalkMeter meter = new WalkMeter(new MinitaurSimFactory(periodNs, s -> simOptions.simConfig(periodNs, s)));
            try (SimServer server = new SimServer(meter, 8, seed, realtime, "127.0.0.1", 0, NanoClock.system())) {
                Thread serving = new Thread(server, "sim-server");
                serving.setDaemon(true);
                serving.start();
                say("udp://127.0.0.1:" + server.port() + (realtime ? ", real-time pacing" : ", lockstep") + ", period "
                        + periodNs / 1_000_000 + " ms; the robot lies where a power-up left it");

                begin("starting the onboard runtime as its own process");
                Path robotJar = home.resolve("onboard-runtime").resolve("target").resolve("chromatic-robot.jar");
                try (RobotStart robot = RobotStart.powerUp(robotJar, robotDir, ROBOT_ID, brokerUrl, brokerOptions,
                        server.port(), periodNs, trusted, meter);
                     DashboardServer dashboard = startDashboard(brokerUrl, brokerOptions, robot)) {
                    say("robot '" + ROBOT_ID + "' online (java -jar " + home.relativize(robotJar) + " --config "
                            + robotDir.resolve("robot.properties") + ")");
                    if (dashboard != null) {
                        System.out.println("chromatic demo: dashboard at " + dashboard.url() + " (open it to watch; "
                                + "space bar: E-stop)");
                        System.out.flush();
                    }

                    begin("flashing the signed policy over MQTT");
                    robot.flash(signed, 30_000);
                    say("accepted by the robot");

                    begin("arming: stand-up, settle, then walking for " + seconds + " s while recording telemetry");
                    TelemetryWatch watch = new TelemetryWatch(brokerUrl, ROBOT_ID,
                            out.resolve("telemetry.csv"), out.resolve("telemetry.png")).brokerOptions(brokerOptions);
                    TelemetryStats[] result = new TelemetryStats[1];
                    Exception[] watchError = new Exception[1];
                    double watchSeconds = seconds + 4.0;
                    Thread watcher = new Thread(() -> {
                        try {
                            result[0] = watch.run(watchSeconds, () -> false, System.err);
                        } catch (Exception e) {
                            watchError[0] = e;
                        }
                    }, "demo-telemetry");
                    watcher.start();
                    Thread.sleep(500);
                    try {
                        robot.arm();
                    } catch (RobotStart.StepFailed e) {
                        watcher.interrupt();
                        throw e;
                    }
                    boolean handedOver = robot.awaitHandOver(5_000);
                    say(handedOver ? "standing; the policy took over" : "no hand-over to the policy");
                    watcher.join();
                    RobotStart.Outcome walk = robot.finish();
                    System.err.println();
                    if (watchError[0] != null) {
                        return fail("telemetry", watchError[0].getMessage());
                    }
                    TelemetryStats tel = result[0];

                    begin("drawing the gait");
                    int renderRc = RenderCommand.drawTo(policyFile, 10, seed, out.resolve("gait"));
                    if (renderRc != 0) {
                        return fail("render", "drawing the gait failed with " + renderRc);
                    }

                    long safeEvents = walk.safeStateEvents();
                    String summary = summary(stats, Files.size(signedFile), walk, tel, walk.events().size());
                    System.out.println();
                    System.out.println(summary);
                    Files.writeString(out.resolve("summary.txt"), summary + System.lineSeparator(), StandardCharsets.UTF_8);
                    Files.writeString(out.resolve("summary.json"), json(stats, Files.size(signedFile), walk, tel)
                            + System.lineSeparator(), StandardCharsets.UTF_8);
                    if (tel.samples() == 0) {
                        return fail("telemetry", "no telemetry received");
                    }
                    if (safeEvents > 0) {
                        return fail("walk", "the safety supervisor latched the safe state (" + tel.state()
                                + "); see " + robotDir.resolve("robot.log") + " and " + out.resolve("telemetry.csv"));
                    }
                    if (!walk.handedOver()) {
                        return fail("walk", "the stand-up never handed over to the policy; see " + robotDir.resolve("robot.log"));
                    }
                    return 0;
                }
            }
        } catch (RobotStart.StepFailed e) {
            return fail(e.step, e.getMessage());
        }
    }

    /**
     * The dashboard of the demo's robot on a free loopback port, signing with an operator key the
     * demo's robot trusts; null (the demo goes on without it) when it cannot start.
     */
    private static DashboardServer startDashboard(String brokerUrl, BrokerOptions options, RobotStart robot) {
        try {
            return DashboardServer.start(new DashboardServer.Settings(ROBOT_ID, brokerUrl, options,
                    InetAddress.getLoopbackAddress(), 0, robot.dashboardSigner()));
        } catch (IOException | RuntimeException e) {
            say("no dashboard: " + e.getMessage());
            return null;
        }
    }

    /**
     * Refuses, as bad input naming the option, a {@code --broker} that is no tcp:// or ssl:// URL the
     * robot takes, broker options without {@code --broker} (the embedded broker is anonymous), and
     * options that do not fit the URL or whose files are missing or unreadable: before anything runs.
     */
    static void checkBroker(String broker, BrokerOptions options) {
        if (broker == null) {
            if (!options.isEmpty()) {
                throw new BadInputException("--username, --password-file, --cafile, --tls-cert and --tls-key go with "
                        + "--broker URL (the embedded broker takes no credentials)");
            }
            return;
        }
        if (!broker.matches("(tcp|ssl)://[^\\s/:]+(:\\d{1,5})?")) {
            throw new BadInputException("--broker must be tcp://HOST[:PORT] or ssl://HOST[:PORT], was '" + broker + "'");
        }
        options.connectOptions(broker);
    }

    /**
     * Trains the demo's policy into {@code policyFile}: fine-tunes the shipped policy under domain
     * randomisation from robot starts (the shipped recipe, policies/README.md), or trains from
     * scratch with --from-scratch. Returns null on success, else why it failed.
     */
    private String train(Path shipped, Path policyFile) throws Exception {
        TrainConfig cfg = new TrainConfig();
        cfg.env = "minitaur-pmtg";
        cfg.structure = "chromatic";
        cfg.colors = 17;
        cfg.hidden = new int[] {41};
        cfg.controller = "evolution";
        cfg.controllerReward = "raw";
        cfg.seed = seed;
        cfg.iterations = iterations;
        cfg.perturbations = fromScratch ? 16 : 8;
        cfg.exact = 4;
        cfg.initScale = 0.1;
        cfg.evalEpisodes = 3;
        cfg.envOptions = EnvOptions.defaults();
        Map<String, String> meta = new TreeMap<>();
        if (fromScratch) {
            say("training a 17-color chromatic policy for minitaur-pmtg from scratch with the shipped recipe "
                    + "(policies/README.md), robot starts and domain randomisation, " + iterations + " ES iterations, seed " + seed);
        } else {
            if (!Files.isRegularFile(shipped)) {
                return "no shipped policy at " + shipped + " to fine-tune (or use --from-scratch)";
            }
            say("fine-tuning the shipped 17-weight policy (" + shipped.getFileName() + ") under domain randomisation from "
                    + "robot starts for " + iterations + " ES iterations, seed " + seed
                    + " (a robust policy from scratch takes longer than a demo: see policies/README.md)");
            TrainCommand.initFrom(cfg, PolicyFiles.load(shipped, TrustedKeys.none(), false).policy());
            cfg.learningRate = 0.005;
            cfg.sigma = 0.05;
            meta.put("init_from", shipped.getFileName().toString());
        }
        try {
            cfg.validate();
            TrainingRun.run(cfg, new TrainingRun.Outputs(policyFile), false, System.err, meta);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private String summary(PolicyStats p, long fileBytes, RobotStart.Outcome o, TelemetryStats t, int events) {
        WalkMeter.Result m = o.walk();
        long safeEvents = o.safeStateEvents();
        String text = String.format(Locale.ROOT, String.join(System.lineSeparator(),
                        "chromatic demo summary",
                        "  policy     %d distinct weights + %d biases (%d params), %d edges, %d bytes signed, %.1f%% fewer parameters than unstructured",
                        "  walk       %.2f m in %.1f s (%.2f m/s) from the hand-over to the policy, return %.1f; settled in %.2f s",
                        "  loop       %.1f Hz, lateness p50 %d us, p99 %d us, max %d us, overruns %d, missed %d",
                        "  telemetry  %d samples in %d batches (%d lost), %d dropped on the robot",
                        "  safety     %d safe-state events, %d events in all, final state %s",
                        "  output     %s (policy, training curve, gait pictures, telemetry.csv/png, robot log)",
                        "  took       %.0f s"),
                p.weightParams(), p.biasParams(), p.totalParams(), p.edges(), fileBytes, 100 * p.compression(),
                m.distanceM(), m.drivenSeconds(), m.drivenSeconds() > 0 ? m.distanceM() / m.drivenSeconds() : 0.0,
                m.walkReturn(), o.settleWaitS(),
                t.rateHz(), t.latenessPercentileNs(50) / 1000, t.latenessPercentileNs(99) / 1000, t.latenessMaxNs() / 1000,
                t.overruns(), t.missed(),
                t.samples(), t.batches(), t.lostBatches(), t.dropped(),
                safeEvents, events, t.state(),
                out, (System.nanoTime() - startNs) / 1e9);
        return broker == null ? text
                : text + System.lineSeparator() + "  broker     " + broker + " (an existing broker, not an embedded one)";
    }

    private String json(PolicyStats p, long fileBytes, RobotStart.Outcome o, TelemetryStats t) {
        WalkMeter.Result m = o.walk();
        long safeEvents = o.safeStateEvents();
        return String.format(Locale.ROOT, "{\"weights\":%d,\"total_params\":%d,\"file_bytes\":%d,\"compression\":%.3f,"
                        + "\"handed_over\":%b,\"settle_wait_s\":%.3f,\"distance_m\":%.4f,\"driven_s\":%.2f,\"speed_mps\":%.4f,\"return\":%.3f,\"rate_hz\":%.2f,"
                        + "\"lateness_p50_us\":%d,\"lateness_p99_us\":%d,\"lateness_max_us\":%d,\"telemetry_samples\":%d,"
                        + "\"telemetry_batches\":%d,\"safe_state_events\":%d,\"final_state\":\"%s\"}",
                p.weightParams(), p.totalParams(), fileBytes, p.compression(), o.handedOver(), o.settleWaitS(),
                m.distanceM(), m.drivenSeconds(), m.speedMps(),
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
