package dev.chromatic.tools.sim;

import dev.chromatic.hal.MotorCommand;
import dev.chromatic.hal.SensorFrame;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.sim.MinitaurSim;
import dev.chromatic.sim.SimConfig;
import dev.chromatic.sim.gait.OpenLoopTrot;
import dev.chromatic.sim.physics.MinitaurBody;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.PolicyEvaluation;
import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.MinitaurTrainingEnv;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chromatic bench solver}: what each setting of Bullet's contact solver costs and buys. For
 * each setting: the CPU time per 1 ms substep of the open-loop trot (interleaved rounds, median),
 * and its accuracy as the distance of its trajectory from a converged reference (the same trot from
 * the same start solved with {@value #REFERENCE_ITERATIONS} iterations), the walk's length and how
 * far the toes sink into the ground; with {@code --policy}, also the policy's return, speed and
 * falls in its own environment under that setting.
 */
@Command(name = "solver", mixinStandardHelpOptions = true,
        description = {"CPU time per substep and accuracy of Bullet's contact-solver settings (iterations, friction",
                "cone or pyramid, articulated warm start) against a converged reference; with --policy, the policy's",
                "return, speed and falls under each setting."})
public final class SolverBenchCommand implements Callable<Integer> {

    /** Iterations of the reference solution every setting is compared with. */
    static final int REFERENCE_ITERATIONS = 100;

    /** One solver setting: a name and the simulator keys that make it. */
    record Setting(String name, Map<String, String> keys) {
    }

    /** The settings measured, the default first and the reference last. */
    static final List<Setting> SETTINGS = List.of(
            new Setting("default", Map.of()),
            new Setting("iterations 5", Map.of("solverIterations", "5")),
            new Setting("iterations 7", Map.of("solverIterations", "7")),
            new Setting("iterations 15", Map.of("solverIterations", "15")),
            new Setting("iterations 30", Map.of("solverIterations", "30")),
            new Setting("pyramid friction", Map.of("frictionCone", "false")),
            new Setting("warm start", Map.of("articulatedWarmStart", "true")),
            new Setting("warm start, iterations 5", Map.of("articulatedWarmStart", "true", "solverIterations", "5")),
            new Setting("reference", Map.of("solverIterations", Integer.toString(REFERENCE_ITERATIONS))));

    @Option(names = "--seconds", defaultValue = "10",
            description = "Simulated seconds of the trot each setting is compared over (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Interleaved timing rounds; each setting's CPU time is the median (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--cpu-steps", defaultValue = "4000",
            description = "Control steps (10 substeps each) timed per setting and round (default: ${DEFAULT-VALUE}).")
    int cpuSteps;

    @Option(names = "--policy", description = "A Minitaur policy (.cpol) to evaluate under each setting.")
    Path policyFile;

    @Option(names = "--episodes", defaultValue = "5",
            description = "Episodes of --policy per setting, from `chromatic eval`'s seeds (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What one setting did on the trot. */
    record Trajectory(double[] x, double[] y, double[] z, double distanceM, double maxPenetrationM) {
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds >= 0.1 && seconds <= 600)) {
            throw new BadInputException("--seconds must lie in 0.1..600, was " + seconds);
        }
        if (rounds < 1 || rounds > 100) {
            throw new BadInputException("--rounds must lie in 1..100, was " + rounds);
        }
        if (cpuSteps < 10 || cpuSteps > 1_000_000) {
            throw new BadInputException("--cpu-steps must lie in 10..1000000, was " + cpuSteps);
        }
        if (episodes < 1 || episodes > 1000) {
            throw new BadInputException("--episodes must lie in 1..1000, was " + episodes);
        }
        Policy policy = null;
        String envId = null;
        EnvOptions trained = null;
        if (policyFile != null) {
            policy = PolicySidecar.loadWithMetadata(policyFile);
            if ("plain".equals(policy.stack())) {
                throw new BadInputException("--policy: " + policyFile + " is a policy for the task '" + policy.task()
                        + "', which does not run on the Minitaur simulator");
            }
            envId = MinitaurTrainingEnv.envFor(policy.robot(), policy.stack());
            try {
                trained = EnvOptions.forPolicy(policy, null, null);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--policy: " + e.getMessage());
            }
        }
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int n = SETTINGS.size();
        SimConfig[] configs = new SimConfig[n];
        for (int i = 0; i < n; i++) {
            configs[i] = config(SETTINGS.get(i));
        }
        Trajectory reference = trot(configs[n - 1], seconds);
        double[][] cpu = new double[n][rounds];
        int warmUp = Math.max(10, cpuSteps / 2);
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                cpu[i][r] = SimBenchCommand.cpuMicrosPerSubstep(configs[i], warmUp, cpuSteps);
            }
        }
        List<JsonWriter> rows = new ArrayList<>();
        double defaultCpu = median(cpu[0]);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "%-26s %9s %6s %12s %12s %12s %10s %12s%s%n", "setting", "cpu us", "x def",
                    "err 0.1 s mm", "err 1 s mm", "err end mm", "walk m", "sink max mm",
                    policy == null ? "" : String.format(Locale.ROOT, " %10s %9s %5s", "reward", "speed", "falls"));
        }
        for (int i = 0; i < n; i++) {
            Setting s = SETTINGS.get(i);
            Trajectory t = i == n - 1 ? reference : trot(configs[i], seconds);
            double cpuUs = median(cpu[i]);
            double e01 = errorAt(t, reference, 0.1);
            double e1 = errorAt(t, reference, Math.min(1.0, seconds));
            double eEnd = errorAt(t, reference, seconds);
            double eMax = maxError(t, reference);
            JsonWriter row = new JsonWriter().put("name", s.name()).putRaw("keys", dev.chromatic.runtime.json.Json.write(
                            new TreeMap<>(s.keys())))
                    .put("solver_iterations", configs[i].solverIterations)
                    .put("friction_cone", configs[i].frictionCone)
                    .put("articulated_warm_start", configs[i].articulatedWarmStart)
                    .put("cpu_us_per_substep", cpuUs)
                    .putRaw("cpu_us_per_substep_rounds", array(cpu[i]))
                    .put("cpu_ratio_to_default", cpuUs / defaultCpu)
                    .put("position_error_0_1s_m", e01)
                    .put("position_error_1s_m", e1)
                    .put("position_error_end_m", eEnd)
                    .put("position_error_max_m", eMax)
                    .put("distance_m", t.distanceM())
                    .put("max_penetration_m", t.maxPenetrationM());
            PolicyEvaluation.Report r = null;
            if (policy != null) {
                r = PolicyEvaluation.run(policy, envId, withSolver(trained, s), episodes, PolicyEvaluation.DEFAULT_SEED, 0);
                row.put("policy_reward", r.floating.meanReward).put("policy_reward_fixed", r.fixed.meanReward)
                        .put("policy_speed_mps", r.floating.meanSpeedMps).put("policy_falls", r.floating.falls)
                        .put("policy_falls_fixed", r.fixed.falls);
            }
            rows.add(row);
            if (!json) {
                out.printf(Locale.ROOT, "%-26s %9.2f %6.2f %12.3f %12.3f %12.3f %10.3f %12.3f%s%n", s.name(), cpuUs,
                        cpuUs / defaultCpu, e01 * 1e3, e1 * 1e3, eEnd * 1e3, t.distanceM(), t.maxPenetrationM() * 1e3,
                        r == null ? "" : String.format(Locale.ROOT, " %10.4f %9.3f %5d", r.floating.meanReward,
                                r.floating.meanSpeedMps, r.floating.falls));
            }
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (json) {
            StringBuilder arr = new StringBuilder("[");
            for (int i = 0; i < rows.size(); i++) {
                arr.append(i == 0 ? "" : ",").append(rows.get(i).end());
            }
            JsonWriter o = new JsonWriter().put("seconds", seconds).put("reference_iterations", REFERENCE_ITERATIONS)
                    .put("rounds", rounds).put("cpu_steps", cpuSteps)
                    .putRaw("settings", arr.append(']').toString());
            if (policy != null) {
                o.put("policy", policyFile.getFileName().toString()).put("env", envId).put("episodes", episodes)
                        .put("env_options", trained.describe());
            }
            out.println(o.put("load_average_1m", loadBefore).put("load_average_before", loadBefore)
                    .put("load_average_after", loadAfter));
        } else {
            out.printf(Locale.ROOT, "errors: base position against %d iterations on the same trot; sink: deepest toe "
                    + "below the ground, sampled every control step; load average %.2f before, %.2f after%n",
                    REFERENCE_ITERATIONS, loadBefore, loadAfter);
        }
        return 0;
    }

    /** The benchmark's simulator settings (the defaults, nothing randomised) with this setting's keys. */
    static SimConfig config(Setting s) {
        SimConfig.Builder b = SimConfig.defaults().toBuilder();
        s.keys().forEach(b::set);
        return b.build();
    }

    /** The policy's own options with the setting's keys added on top. */
    static EnvOptions withSolver(EnvOptions trained, Setting s) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (trained.randomize().equals("default")) {
            keys.put("domainRandomization", "true");
        }
        keys.putAll(trained.simSettings());
        keys.putAll(s.keys());
        return new EnvOptions(trained.start(), "file", keys);
    }

    /** The open-loop trot from the standing start for {@code seconds}, base position every control step. */
    static Trajectory trot(SimConfig config, double seconds) {
        try (MinitaurSim sim = MinitaurSim.create(config)) {
            sim.start();
            OpenLoopTrot gait = OpenLoopTrot.reference(sim.spec());
            SensorFrame frame = new SensorFrame(sim.spec().motorCount());
            MotorCommand command = new MotorCommand(sim.spec().motorCount());
            int steps = (int) Math.round(seconds * 1e9 / config.controlPeriodNs);
            double[] x = new double[steps + 1];
            double[] y = new double[steps + 1];
            double[] z = new double[steps + 1];
            double[] p = new double[3];
            double[] toe = new double[3];
            double deepest = 0.0;
            sim.basePosition(p);
            x[0] = p[0];
            y[0] = p[1];
            z[0] = p[2];
            for (int k = 1; k <= steps; k++) {
                sim.read(frame);
                gait.command(sim.simTimeNs(), command);
                sim.write(command);
                sim.basePosition(p);
                x[k] = p[0];
                y[k] = p[1];
                z[k] = p[2];
                for (int leg = 0; leg < 4; leg++) {
                    sim.toePhysicsPosition(leg, toe);
                    deepest = Math.max(deepest, MinitaurBody.TOE_RADIUS_M - toe[2]);
                }
            }
            return new Trajectory(x, y, z, x[steps] - x[0], deepest);
        }
    }

    /** Distance between the two base positions at {@code t} seconds (the nearest control step). */
    static double errorAt(Trajectory a, Trajectory b, double t) {
        int steps = a.x().length - 1;
        int k = (int) Math.min(steps, Math.round(t / seconds(a) * steps));
        return Math.sqrt(sq(a.x()[k] - b.x()[k]) + sq(a.y()[k] - b.y()[k]) + sq(a.z()[k] - b.z()[k]));
    }

    static double maxError(Trajectory a, Trajectory b) {
        double m = 0.0;
        for (int k = 0; k < a.x().length; k++) {
            m = Math.max(m, Math.sqrt(sq(a.x()[k] - b.x()[k]) + sq(a.y()[k] - b.y()[k]) + sq(a.z()[k] - b.z()[k])));
        }
        return m;
    }

    private static double seconds(Trajectory t) {
        return (t.x().length - 1) * SimConfig.defaults().controlPeriodNs * 1e-9;
    }

    private static double sq(double v) {
        return v * v;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static String array(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(']').toString();
    }
}
