package dev.chromatic.tools.flash;

import dev.chromatic.hal.NanoClock;
import dev.chromatic.hal.RobotSpec;
import dev.chromatic.hal.standin.StandInHardware;
import dev.chromatic.runtime.agent.AgentRunner;
import dev.chromatic.runtime.agent.ParkingIdleStrategy;
import dev.chromatic.runtime.command.CommandKind;
import dev.chromatic.runtime.command.CommandMailbox;
import dev.chromatic.runtime.config.RobotConfig;
import dev.chromatic.runtime.events.EventKind;
import dev.chromatic.runtime.events.LoopEvent;
import dev.chromatic.runtime.events.Reason;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.loop.ControlAgent;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.loop.RobotLoop;
import dev.chromatic.runtime.policy.Activation;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyCodec;
import dev.chromatic.runtime.policy.PolicyEnvelope;
import dev.chromatic.runtime.policy.PolicyFactory;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicyKeys;
import dev.chromatic.runtime.policy.StructureKind;
import dev.chromatic.runtime.safety.SafetySupervisor;
import dev.chromatic.runtime.stack.DirectStack;
import dev.chromatic.runtime.update.PolicyUpdateService;
import dev.chromatic.runtime.update.PolicyUpdateSettings;
import dev.chromatic.runtime.update.PolicyUpdates;
import dev.chromatic.tools.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic flash-soak}: measures whether flashing disturbs the control loop. The robot's loop
 * ({@link RobotLoop}) runs armed in real time on its own thread against the ideal stand-in robot
 * (no physics, so the figures are the loop's own) while the update service, on its own thread,
 * receives a stream of files (new valid versions, which an armed robot stages for its next disarm
 * rather than swapping in, and damaged, foreign-key and wrong-size files that are rejected). The
 * same measurement without flashing is the baseline.
 */
@Command(name = "flash-soak", mixinStandardHelpOptions = true,
        description = {"Runs the control loop armed in real time against the ideal stand-in robot, first without and then with a",
                "stream of policy flashes and rejections, and compares missed periods, overruns and lateness."})
public final class FlashSoakCommand implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "20", paramLabel = "S", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rate-hz", defaultValue = "1000", paramLabel = "HZ", description = "Loop rate (default: ${DEFAULT-VALUE}).")
    double rateHz;

    @Option(names = "--flash-hz", defaultValue = "10", paramLabel = "HZ", description = "Files sent per second in the flashing phase (default: ${DEFAULT-VALUE}).")
    double flashHz;

    @Option(names = "--fifo-priority", defaultValue = "0", paramLabel = "P",
            description = "SCHED_FIFO priority of the loop thread only, 1..99 (0: normal scheduling; needs CAP_SYS_NICE or an rtprio limit).")
    int fifoPriority;

    @Option(names = "--cpu", defaultValue = "-1", paramLabel = "N", description = "Pin the loop thread to this CPU (-1: any).")
    int cpu;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    /** Loop figures over one phase. */
    private record Phase(String name, long cycles, long missed, long overruns, Histogram lateness, long installs,
                         long accepted, long staged, long rejected, String safety) {
        String json() {
            return new JsonWriter().put("cycles", cycles).put("missed_periods", missed).put("overruns", overruns)
                    .put("lateness_p50_us", lateness.getValueAtPercentile(50) / 1000.0)
                    .put("lateness_p99_us", lateness.getValueAtPercentile(99) / 1000.0)
                    .put("lateness_p999_us", lateness.getValueAtPercentile(99.9) / 1000.0)
                    .put("lateness_max_us", lateness.getMaxValue() / 1000.0).put("policy_installs", installs)
                    .put("accepted", accepted).put("staged", staged).put("rejected", rejected).put("safety_at_end", safety).end();
        }

        String line() {
            return String.format("%-9s cycles %7d  missed %4d  overruns %4d  lateness p50 %6.1f p99 %7.1f p99.9 %7.1f max %8.1f us"
                            + "  installs %4d  accepted %4d  staged %4d  rejected %4d  safety %s",
                    name, cycles, missed, overruns, lateness.getValueAtPercentile(50) / 1000.0,
                    lateness.getValueAtPercentile(99) / 1000.0, lateness.getValueAtPercentile(99.9) / 1000.0,
                    lateness.getMaxValue() / 1000.0, installs, accepted, staged, rejected, safety);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || seconds > 3600) {
            throw new BadInputException("--seconds must be in (0, 3600], was " + seconds);
        }
        if (!(rateHz >= 50) || rateHz > 1000) {
            throw new BadInputException("--rate-hz must be in [50, 1000], was " + rateHz);
        }
        if (!(flashHz > 0) || flashHz > 100) {
            throw new BadInputException("--flash-hz must be in (0, 100], was " + flashHz);
        }
        long periodNs = LoopSettings.periodOfHz(rateHz);
        Path work = Files.createTempDirectory("chromatic-flash-soak");
        KeyPair keys = PolicyKeys.generate();
        KeyPair stranger = PolicyKeys.generate();
        Path keyDir = Files.createDirectories(work.resolve("keys"));
        PolicyKeys.savePublic(keyDir.resolve("ops.pub"), keys.getPublic());
        Properties p = new Properties();
        p.setProperty(PolicyUpdateSettings.STORE_DIR, work.resolve("store").toString());
        p.setProperty(PolicyUpdateSettings.TRUSTED_KEYS_DIR, keyDir.toString());
        p.setProperty(PolicyUpdateSettings.STACK, DirectStack.ID);
        p.setProperty(PolicyUpdateSettings.HEALTH_WINDOW_S, "0.5");

        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong staged = new AtomicLong();
        NanoClock clock = NanoClock.system();
        if (fifoPriority < 0 || fifoPriority > 99) {
            throw new BadInputException("--fifo-priority must be in 0..99, was " + fifoPriority);
        }
        RobotLoop loop = RobotLoop.context().hardware(new StandInHardware(clock, periodNs)).clock(clock)
                .settings(new LoopSettings(periodNs, 10, 4, false)).events(1024).build();
        // the robot's rule for idle CPUs (loop.cpu_latency_us), so the loop is measured as the robot runs it
        loop.startRealtime(200_000L, fifoPriority, cpu, RobotConfig.DEFAULT_CPU_LATENCY_US, Throwable::printStackTrace);
        String tuning = loop.threadTuning().message() + "; " + loop.cpuLatency().message();
        try {
            ControlAgent control = loop.agent();
            SafetySupervisor safety = loop.safety();
            PolicyUpdateService service = PolicyUpdates.create(PolicyUpdateSettings.from(p), RobotSpec.minitaur(), periodNs,
                    control::offerPolicy, v -> {
                        if (v.contains("\"verdict\":\"accepted\"")) {
                            accepted.incrementAndGet();
                        } else if (v.contains("\"verdict\":\"staged\"")) {
                            staged.incrementAndGet();
                        } else if (v.contains("\"verdict\":\"rejected\"")) {
                            rejected.incrementAndGet();
                        }
                    }, safety::isArmed, clock);
            safety.setTripListener(service.health());
            service.submit(file(keys, 1, periodNs, 12));
            service.doWork();
            AgentRunner updates = AgentRunner.start(service, new ParkingIdleStrategy(1_000_000L), Throwable::printStackTrace, true);
            try {
                LockSupport.parkNanos(300_000_000L);
                loop.mailbox().offer(1, CommandMailbox.op(CommandKind.ARM, 0, false));
                LockSupport.parkNanos(300_000_000L);
                if (!safety.isArmed()) {
                    System.err.println("chromatic flash-soak: the loop did not arm: " + armAnswer(loop));
                    return 1;
                }
                measure(control, accepted, staged, rejected, "warmup", Math.min(seconds, 3), 0, null, periodNs);
                Phase base = measure(control, accepted, staged, rejected, "baseline", seconds, 0, null, periodNs);
                Phase flashing = measure(control, accepted, staged, rejected, "flashing", seconds, flashHz,
                        new Feeder(service, keys, stranger, periodNs), periodNs);
                if (json) {
                    System.out.println(new JsonWriter().put("rate_hz", rateHz).put("flash_hz", flashHz).put("seconds", seconds)
                            .put("loop_thread", tuning)
                            .putRaw("baseline", base.json()).putRaw("flashing", flashing.json()).end());
                } else {
                    System.out.println("loop thread: " + tuning);
                    System.out.println(base.line());
                    System.out.println(flashing.line());
                }
            } finally {
                updates.close();
            }
        } finally {
            loop.stop();
            deleteTree(work);
        }
        return 0;
    }

    /** The loop's answer to the arm command (events are drained here; nothing else reads them). */
    private static String armAnswer(RobotLoop loop) {
        LoopEvent e = new LoopEvent();
        String answer = "no arm event";
        while (loop.events().poll(e)) {
            if (e.kind == EventKind.ARM_REFUSED.ordinal() || e.kind == EventKind.ARMED.ordinal()) {
                answer = EventKind.of(e.kind).wireName() + " " + Reason.of(e.reason).wireName();
            }
        }
        return answer;
    }

    /** Sends files in turn: a new valid version, a bit-flipped copy, a foreign signature, a wrong size. */
    private static final class Feeder {
        private final PolicyUpdateService service;
        private final KeyPair keys;
        private final KeyPair stranger;
        private final long periodNs;
        private long version = 1;
        private int turn;

        Feeder(PolicyUpdateService service, KeyPair keys, KeyPair stranger, long periodNs) {
            this.service = service;
            this.keys = keys;
            this.stranger = stranger;
            this.periodNs = periodNs;
        }

        void next() throws PolicyFormatException {
            byte[] f;
            switch (turn++ % 4) {
                case 0 -> f = file(keys, ++version, periodNs, 12);
                case 1 -> {
                    f = file(keys, version + 1, periodNs, 12);
                    f[f.length / 2] ^= 0x10;
                }
                case 2 -> f = file(stranger, version + 1, periodNs, 12);
                default -> f = file(keys, version + 1, periodNs, 13);
            }
            service.submit(f);
        }
    }

    private static Phase measure(ControlAgent control, AtomicLong accepted, AtomicLong staged, AtomicLong rejected, String name,
                                 double seconds, double flashHz, Feeder feeder, long periodNs) throws Exception {
        long cycles0 = control.cycles();
        long missed0 = control.missedPeriods();
        long overruns0 = control.overruns();
        long installs0 = control.policyInstalls();
        long acc0 = accepted.get();
        long staged0 = staged.get();
        long rej0 = rejected.get();
        control.latenessRecorder().getIntervalHistogram();
        long endNs = System.nanoTime() + (long) (seconds * 1e9);
        long stepNs = flashHz > 0 ? (long) (1e9 / flashHz) : Long.MAX_VALUE;
        long nextNs = System.nanoTime();
        while (System.nanoTime() - endNs < 0) {
            if (feeder != null && System.nanoTime() - nextNs >= 0) {
                feeder.next();
                nextNs += stepNs;
            }
            LockSupport.parkNanos(Math.min(5_000_000L, Math.max(100_000L, stepNs / 4)));
        }
        Histogram h = control.latenessRecorder().getIntervalHistogram();
        return new Phase(name, control.cycles() - cycles0, control.missedPeriods() - missed0,
                control.overruns() - overruns0, h, control.policyInstalls() - installs0, accepted.get() - acc0,
                staged.get() - staged0, rejected.get() - rej0, control.safetyState().wireName()
                        + (control.safetyState().name().equals("SAFE") ? "(" + control.safetyReason().wireName() + ")" : ""));
    }

    /** A standing minitaur-direct policy (all weights zero) with {@code obs} inputs. */
    private static byte[] file(KeyPair keys, long version, long periodNs, int obs) throws PolicyFormatException {
        Policy.Builder b = PolicyFactory.random(StructureKind.CHROMATIC, 17, new int[] {obs, 41, DirectStack.ACTION_DIM},
                Activation.TANH, version).toBuilder();
        Arrays.fill(b.sharedWeights, 0.0);
        for (double[] layer : b.biases) {
            Arrays.fill(layer, 0.0);
        }
        b.robot = "minitaur";
        b.stack = DirectStack.ID;
        b.task = "flash-soak";
        b.controlPeriodNs = periodNs;
        byte[] unsigned = PolicyEnvelope.seal(PolicyCodec.encode(b.build()), 0);
        return PolicyEnvelope.sign(unsigned, keys.getPrivate(), PolicyKeys.keyId(keys.getPublic()), version);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
