package dev.chromatic.tools.run;

import com.sun.management.ThreadMXBean;
import dev.chromatic.hal.Hardware;
import dev.chromatic.hal.HardwareException;
import dev.chromatic.hal.ManualNanoClock;
import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import java.nio.file.Files;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.hal.remote.RemoteHardware;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.app.PolicyLoader;
import dev.chromatic.runtime.app.RobotRuntime;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.inference.MailmanNetwork;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.mqtt.MqttSettings;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.runtime.stack.Controller;
import dev.chromatic.runtime.stack.ControllerStack;
import dev.chromatic.runtime.stack.ControllerStacks;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.hil.MinitaurSimFactory;
import dev.chromatic.sim.hil.SimServer;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.rollout.EnvOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One run of the robot's loop ({@link RobotLoop}, the robot's stand-up and settle gate included)
 * on the simulator or the ideal stand-in, in lockstep (simulated time, as fast as the CPU allows)
 * or in real time (the loop on its own thread against the wall clock; the simulator then runs as
 * an in-process HIL server at wall-clock pace, reached over the robot's own UDP link), with
 * telemetry to a broker (an embedded one unless a URL is given). Collects the figures {@code run}
 * and {@code bench loop} report.
 */
public final class LoopSession {

    /** What to run; {@code physics} false runs the ideal stand-in (no simulator). */
    record Spec(InstalledPolicy policy, long periodNs, double seconds, boolean realtime, String brokerUrl,
                int decimation, int rtPriority, int cpu, long spinNs, int cpuLatencyUs, long seed, boolean arm, boolean physics,
                EnvOptions options, CommandSettings commands, RobotSpec robot, String robotId) {

        /** The simulator settings for this run's robot at {@code seed}. */
        SimConfig simConfig(long seed) {
            return options.simConfig(periodNs, seed).toBuilder().set("robot", robot.name()).build();
        }
    }

    private LoopSession() {
    }

    /** Loads a policy file for the sim (signature optional unless trusted keys are given), for the robot it names. */
    static InstalledPolicy policyFromFile(Path file, Path trustedKeys) throws IOException, PolicyFormatException {
        TrustedKeys trust = trustedKeys == null ? TrustedKeys.none() : TrustedKeys.fromDirectory(trustedKeys);
        return PolicyLoader.load(file, trust, trustedKeys != null, robotOf(file)).installed();
    }

    /** The robot a policy file is for. */
    public static RobotSpec robotOf(Path file) throws IOException, PolicyFormatException {
        String robot = PolicyFiles.load(Files.readAllBytes(file), TrustedKeys.none(), false).policy().robot();
        try {
            return RobotSpec.named(robot);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--policy: " + e.getMessage());
        }
    }

    /** A random chromatic PMTG policy (M = 17, one hidden layer of 41) at the given period, for benchmarks. */
    static InstalledPolicy randomPolicy(long periodNs, long seed) throws PolicyFormatException {
        RobotSpec spec = RobotSpec.minitaur();
        ControllerStack stack = ControllerStacks.create("minitaur-pmtg", spec, periodNs);
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17,
                new int[] {stack.observationDim(), 41, stack.actionDim()}, Activation.TANH, seed).toBuilder();
        double[][] scaling = ControllerStacks.defaultActionScaling("minitaur-pmtg");
        b.actionScale = scaling[0];
        b.actionOffset = scaling[1];
        b.controlPeriodNs = periodNs;
        b.robot = "minitaur";
        b.stack = "minitaur-pmtg";
        Policy p = b.build();
        return new InstalledPolicy(Controller.of(p, MailmanNetwork.of(p), spec), "random-" + seed, 0, true, periodNs);
    }

    static Map<String, Object> run(Spec s) throws Exception {
        return run(s, null);
    }

    /**
     * As {@link #run(Spec)}; in real time the measured wake-up lateness (ns, warm-up excluded) is
     * also added to {@code latenessSink} when it is not null, so blocks of runs can be pooled.
     */
    static Map<String, Object> run(Spec s, Histogram latenessSink) throws Exception {
        EmbeddedBroker embedded = null;
        String url = s.brokerUrl();
        if (url == null) {
            embedded = EmbeddedBroker.start("127.0.0.1", 0);
            url = embedded.url();
        }
        WalkMeter meter = null;
        SimServer server = null;
        Hardware hw;
        MinitaurSim lockstepSim = null;
        try {
            if (!s.physics()) {
                hw = new StandInHardware(s.robot(), s.realtime() ? NanoClock.system() : new ManualNanoClock(0), s.periodNs(),
                        s.robot().measuredMask());
            } else if (!s.realtime()) {
                lockstepSim = MinitaurSim.create(s.simConfig(s.seed()));
                hw = lockstepSim;
            } else {
                meter = new WalkMeter(new MinitaurSimFactory(s.periodNs(), s::simConfig));
                server = new SimServer(meter, 8, s.seed(), true, "127.0.0.1", 0, NanoClock.system());
                Thread serving = new Thread(server, "sim-server");
                serving.setDaemon(true);
                serving.start();
                hw = RemoteHardware.withRoundTripBudget("127.0.0.1", server.port(), s.robot(), s.periodNs(),
                        s.periodNs(), NanoClock.system());
            }
            return run(s, url, hw, lockstepSim, meter, embedded != null, latenessSink);
        } finally {
            if (server != null) {
                server.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static Map<String, Object> run(Spec s, String url, Hardware hardware, MinitaurSim lockstepSim, WalkMeter meter,
            boolean embedded, Histogram latenessSink) throws Exception {
        double[] start = new double[3];
        try (Hardware hw = hardware) {
            try {
                hw.start();
            } catch (HardwareException e) {
                throw new BadInputException("simulator did not start: " + e.getMessage(), e);
            }
            if (lockstepSim != null) {
                lockstepSim.basePosition(start);
            }
            RobotLoop.Context ctx = RobotLoop.context().hardware(hw).settings(new LoopSettings(s.periodNs(), s.decimation(), 8, true))
                    .policy(s.policy()).telemetry(4096);
            RobotLoop loop = (s.realtime() ? ctx.clock(NanoClock.system()) : ctx.lockstep()).build();
            MqttSettings mqtt = MqttSettings.plain(url, "chromatic-sim-" + ProcessHandle.current().pid());
            try (RobotRuntime rt = new RobotRuntime(s.robotId(), loop, mqtt, 20, s.commands())) {
                rt.startTelemetryThread(t -> { });
                waitForBroker(rt);
                long cycles = Math.max(1, Math.round(s.seconds() * 1e9 / s.periodNs()));
                long warmup = Math.min(cycles / 5, Math.round(1e9 / s.periodNs()));
                Map<String, Object> out = s.realtime() ? realtime(rt, s, cycles, warmup, latenessSink) : lockstep(rt, s, cycles, warmup);
                rt.telemetry().doWork();
                Thread.sleep(300);
                out.put("telemetry_sent", rt.telemetry().samplesSent());
                out.put("telemetry_dropped", rt.telemetry().samplesDropped());
                out.put("safe_state", rt.safety().state().wireName());
                out.put("safe_reason", rt.safety().reason().wireName());
                out.put("phase", loop.standUp().phase().wireName());
                long settle = loop.standUp().lastSettleWaitNs();
                out.put("settle_wait_s", settle < 0 ? null : round(settle * 1e-9, 3));
                double distance = 0.0;
                if (lockstepSim != null) {
                    double[] end = new double[3];
                    lockstepSim.basePosition(end);
                    distance = end[0] - start[0];
                } else if (meter != null) {
                    distance = meter.result().distanceM();
                }
                out.put("distance_m", round(distance, 4));
                out.put("broker", embedded ? "embedded" : url);
                out.put("hal", !s.physics() ? "ideal" : s.realtime() ? "sim over the HIL link" : "sim");
                return out;
            }
        }
    }

    private static void waitForBroker(RobotRuntime rt) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (!rt.link().isConnected() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        if (!rt.link().isConnected()) {
            throw new BadInputException("cannot reach the MQTT broker: " + rt.link().lastError());
        }
    }

    private static Map<String, Object> lockstep(RobotRuntime rt, Spec s, long cycles, long warmup) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long allocStart = 0;
        RobotLoop.Lockstep lockstep = rt.loop().lockstep();
        for (long i = 0; i < cycles; i++) {
            if (i == 2 && s.arm()) {
                lockstep.command(CommandKind.ARM);
            }
            if (i == warmup) {
                allocStart = mx.getThreadAllocatedBytes(tid);
            }
            lockstep.tick();
        }
        long alloc = mx.getThreadAllocatedBytes(tid) - allocStart;
        Map<String, Object> out = common(rt, s, "lockstep");
        out.put("alloc_bytes_per_cycle", round((double) alloc / Math.max(1, cycles - warmup), 3));
        return out;
    }

    private static Map<String, Object> realtime(RobotRuntime rt, Spec s, long cycles, long warmup, Histogram latenessSink)
            throws InterruptedException {
        rt.startLoopThread(s.spinNs(), s.rtPriority(), s.cpu(), s.cpuLatencyUs(), t -> { });
        RobotLoop loop = rt.loop();
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = loop.runner().thread().getId();
        if (s.arm()) {
            while (rt.control().cycles() < 2) {
                Thread.sleep(1);
            }
            rt.mailbox().offer(1, CommandMailbox.op(CommandKind.ARM, 0, false));
        }
        while (rt.control().cycles() < warmup) {
            Thread.sleep(1);
        }
        long missed0 = rt.control().missedPeriods();
        long over0 = rt.control().overruns();
        long cycles0 = rt.control().cycles();
        long alloc0 = mx.getThreadAllocatedBytes(tid);
        rt.control().latenessRecorder().getIntervalHistogram();
        long runNs = (long) ((cycles - warmup) * (double) s.periodNs());
        Thread.sleep(runNs / 1_000_000L);
        Histogram h = rt.control().latenessRecorder().getIntervalHistogram();
        if (latenessSink != null) {
            latenessSink.add(h);
        }
        long alloc = mx.getThreadAllocatedBytes(tid) - alloc0;
        long ran = rt.control().cycles() - cycles0;
        long missed = rt.control().missedPeriods() - missed0;
        long overruns = rt.control().overruns() - over0;
        boolean held = loop.cpuLatency().held();
        String latencyMessage = loop.cpuLatency().message();
        loop.stop();
        Map<String, Object> out = common(rt, s, "realtime");
        out.put("cycles", ran);
        out.put("missed", missed);
        out.put("overruns", overruns);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", round(h.getValueAtPercentile(50) / 1000.0, 1));
        lat.put("p99", round(h.getValueAtPercentile(99) / 1000.0, 1));
        lat.put("p999", round(h.getValueAtPercentile(99.9) / 1000.0, 1));
        lat.put("max", round(h.getMaxValue() / 1000.0, 1));
        out.put("lateness_us", lat);
        out.put("alloc_bytes_per_cycle", round((double) alloc / Math.max(1, ran), 3));
        out.put("realtime_priority", loop.threadTuning().realtime());
        out.put("thread_tuning", loop.threadTuning().message());
        out.put("cpu_latency_held", held);
        out.put("cpu_latency", latencyMessage);
        return out;
    }

    private static Map<String, Object> common(RobotRuntime rt, Spec s, String mode) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode);
        out.put("rate_hz", round(1e9 / s.periodNs(), 3));
        out.put("cycles", rt.control().cycles());
        out.put("missed", rt.control().missedPeriods());
        out.put("overruns", rt.control().overruns());
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", 0.0);
        lat.put("p99", 0.0);
        lat.put("p999", 0.0);
        lat.put("max", 0.0);
        out.put("lateness_us", lat);
        out.put("policy_sha256", s.policy().sha256Hex());
        return out;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
