package dev.chromatic.tools.run;

import dev.chromatic.runtime.config.RobotConfig;
import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.loop.InstalledPolicy;
import dev.chromatic.runtime.loop.LoopSettings;
import dev.chromatic.runtime.operator.CommandSettings;
import dev.chromatic.runtime.operator.CounterStore;
import dev.chromatic.runtime.operator.OperatorKeys;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFormatException;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.rollout.EnvOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic run}: the robot runtime (loop, safety, telemetry, commands) on the in-process simulator. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a policy in the robot runtime on the simulator: the same loop, safety supervisor,",
                "telemetry and command handling as the robot. Lockstep (simulated time) unless --realtime.",
                "Telemetry goes to --broker, or to an embedded broker started for the run."})
public final class RunCommand implements Callable<Integer> {

    /** The robot id a simulated run publishes under unless --robot-id names another. */
    static final String DEFAULT_ROBOT_ID = "sim";

    @Option(names = "--policy", required = true, paramLabel = "FILE.cpol", description = "Policy file.")
    Path policy;

    @Option(names = "--hal", defaultValue = "sim", description = "HAL backend: sim (the robot's device and remote "
            + "backends run in chromatic-robot.jar).")
    String hal;

    @Option(names = "--rate", paramLabel = "HZ", description = "Control rate, 50..1000 (default: the policy's).")
    Double rateHz;

    @Option(names = "--force-rate", description = "Run at --rate even when it differs from the policy's rate.")
    boolean forceRate;

    @Option(names = "--seconds", defaultValue = "10", description = "Duration (simulated in lockstep; default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker, tcp://HOST:PORT (default: embedded).")
    String broker;

    @Option(names = "--realtime", description = "Run the loop on its own thread against the wall clock.")
    boolean realtime;

    @Option(names = "--rt-priority", defaultValue = "0", description = "With --realtime: SCHED_FIFO priority 1..99 for the loop thread (needs root or rtprio).")
    int rtPriority;

    @Option(names = "--trusted-keys", paramLabel = "DIR", description = "Require a signature by one of these keys.")
    Path trustedKeys;

    @Option(names = "--robot-id", defaultValue = DEFAULT_ROBOT_ID, paramLabel = "ID",
            description = "Robot id: topics chromatic/<ID>/... (default: ${DEFAULT-VALUE}).")
    String robotId;

    @Option(names = "--operator-keys", paramLabel = "DIR", description = {"Accept commands on chromatic/<ID>/cmd signed by",
            "these operator keys (*.pub from chromatic keygen); without it only estop is accepted."})
    Path operatorKeys;

    @Option(names = "--decimation", defaultValue = "10", description = "Telemetry: one sample every N cycles (default ${DEFAULT-VALUE}).")
    int decimation;

    @Option(names = "--seed", defaultValue = "1", description = "Simulator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--randomize", paramLabel = "none|default|FILE",
            description = "Domain randomisation of the simulator (default: what the policy was trained with).")
    String randomize;

    @Option(names = "--start", paramLabel = "robot|standing",
            description = "The simulated robot's start pose (default: what the policy was trained with).")
    String start;

    @picocli.CommandLine.Mixin
    dev.chromatic.tools.sim.RenderOption render;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!hal.equals("sim")) {
            throw new BadInputException("--hal: only sim runs here; device and remote:HOST:PORT run in chromatic-robot.jar");
        }
        if (!Files.isRegularFile(policy)) {
            throw new BadInputException("--policy: no such file: " + policy);
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new BadInputException("--seconds must be in (0, 3600], was " + seconds);
        }
        if (rateHz != null && (rateHz < 50 || rateHz > 1000)) {
            throw new BadInputException("--rate must be in 50..1000 Hz, was " + rateHz);
        }
        if (decimation < 1 || decimation > 1000) {
            throw new BadInputException("--decimation must be in 1..1000, was " + decimation);
        }
        if (rtPriority < 0 || rtPriority > 99) {
            throw new BadInputException("--rt-priority must be in 0..99, was " + rtPriority);
        }
        if (!dev.chromatic.runtime.telemetry.Topics.isValidRobotId(robotId)) {
            throw new BadInputException("--robot-id '" + robotId + "' must be 1-64 letters, digits, '-' or '_'");
        }
        if (broker != null && !broker.matches("(tcp|ssl)://[^\\s/]+")) {
            throw new BadInputException("--broker must be tcp://HOST:PORT, was " + broker);
        }
        InstalledPolicy p = LoopSession.policyFromFile(policy, trustedKeys);
        long periodNs = rateHz == null ? p.controlPeriodNs() : LoopSettings.periodOfHz(rateHz);
        if (!forceRate && !LoopSettings.samePeriod(periodNs, p.controlPeriodNs())) {
            throw new BadInputException("--rate " + rateHz + " Hz differs from the policy's control period of "
                    + p.controlPeriodNs() + " ns (add --force-rate to run it anyway)");
        }
        if (periodNs < LoopSettings.MIN_PERIOD_NS || periodNs > LoopSettings.MAX_PERIOD_NS) {
            throw new BadInputException("the policy's control period " + periodNs + " ns is outside 1..20 ms; use --rate");
        }
        Map<String, Object> out = LoopSession.run(new LoopSession.Spec(p, periodNs, seconds, realtime, broker,
                decimation, rtPriority, -1, RobotConfig.DEFAULT_SPIN_US * 1000L, RobotConfig.DEFAULT_CPU_LATENCY_US, seed, true, true, options(policy), commands(),
                LoopSession.robotOf(policy), robotId));
        if (json) {
            System.out.println(Json.write(out));
        } else {
            out.forEach((k, v) -> System.out.println(k + ": " + (v instanceof Map<?, ?> m ? Json.write(castMap(m)) : v)));
        }
        return render.drawIfAsked(policy, seconds, seed);
    }

    /** Operator keys from --operator-keys (counters in memory: a run is one session); none: estop only. */
    private CommandSettings commands() throws IOException {
        if (operatorKeys == null) {
            return CommandSettings.estopOnly();
        }
        if (!Files.isDirectory(operatorKeys)) {
            throw new BadInputException("--operator-keys: no such folder: " + operatorKeys);
        }
        try {
            OperatorKeys keys = OperatorKeys.fromDirectory(operatorKeys, w -> System.err.println("chromatic run: " + w));
            if (keys.size() == 0) {
                throw new BadInputException("--operator-keys: no *.pub key in " + operatorKeys);
            }
            return CommandSettings.of(keys, CounterStore.inMemory());
        } catch (PolicyFormatException e) {
            throw new BadInputException("--operator-keys: " + e.getMessage());
        }
    }

    private EnvOptions options(Path file) throws Exception {
        Policy p = PolicySidecar.loadWithMetadata(file);
        try {
            return EnvOptions.forPolicy(p, start, randomize);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }
}
