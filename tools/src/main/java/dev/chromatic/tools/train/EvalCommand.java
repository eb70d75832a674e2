package dev.chromatic.tools.train;

import dev.chromatic.runtime.json.Json;
import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicySidecar;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.PolicyEvaluation;
import dev.chromatic.trainer.RobustnessEvaluation;
import dev.chromatic.trainer.rollout.EnvOptions;
import dev.chromatic.trainer.rollout.MinitaurTrainingEnv;
import dev.chromatic.trainer.rollout.TrainingEnvs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic eval}: a policy's return in simulation, float64 and fixed point side by side. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Runs a .cpol policy in its environment with the float64 network and the robot's fixed-point network.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, description = "Policy file (.cpol).")
    Path policyFile;

    @Option(names = "--env", description = "Environment (default: the policy's robot and stack, or its task).")
    String env;

    @Option(names = "--episodes", defaultValue = "5", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the episode seeds (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-steps", defaultValue = "0", description = "Episode step limit; 0 = the task's own.")
    int maxSteps;

    @picocli.CommandLine.Mixin
    dev.chromatic.tools.sim.RenderOption render;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--randomize", paramLabel = "none|default|FILE",
            description = {"Domain randomisation of the robot simulator (default: what the policy was trained with,",
                    "recorded in the file, else default)."})
    String randomize;

    @Option(names = "--start", paramLabel = "robot|standing",
            description = "How robot episodes start (default: what the policy was trained with, else robot).")
    String start;

    @Option(names = "--robustness", paramLabel = "N",
            description = {"Run N episodes from randomised robot starts through the robot's loop and report falls,",
                    "safety trips, distance and speed from the hand-over on (float64 and fixed point)."})
    Integer robustness;

    @Option(names = "--threads", description = "Threads for --robustness (default: all cores; the figures do not depend on it).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (episodes < 1) {
            throw new BadInputException("--episodes must be >= 1, was " + episodes);
        }
        Policy policy = PolicySidecar.loadWithMetadata(policyFile);
        String envId = env != null ? env : ("plain".equals(policy.stack()) ? policy.task()
                : MinitaurTrainingEnv.envFor(policy.robot(), policy.stack()));
        if (!TrainingEnvs.ids().contains(envId)) {
            throw new BadInputException("--env: unknown env '" + envId + "', expected one of " + TrainingEnvs.ids());
        }
        EnvOptions options = envOptions(policy);
        if (robustness != null) {
            return robustness(policy, envId, options);
        }
        PolicyEvaluation.Report r;
        try {
            r = PolicyEvaluation.run(policy, envId, options, episodes, seed, maxSteps);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (json) {
            System.out.println(new JsonWriter().put("env", envId).put("episodes", episodes)
                    .put("reward_float", r.floating.meanReward).put("reward_fixed", r.fixed.meanReward)
                    .put("distance_m", r.floating.meanDistanceM).put("distance_fixed_m", r.fixed.meanDistanceM)
                    .put("speed_mps", r.floating.meanSpeedMps).put("fell", r.floating.falls > 0)
                    .put("falls", r.floating.falls).put("falls_fixed", r.fixed.falls)
                    .put("steps", r.floating.meanSteps));
        } else {
            System.out.printf(Locale.ROOT, "%s, %d episodes: float64 reward %.4f, fixed point %.4f; distance %.3f m "
                            + "(fixed %.3f m), speed %.3f m/s, falls %d (fixed %d), mean steps %.1f%n",
                    envId, episodes, r.floating.meanReward, r.fixed.meanReward, r.floating.meanDistanceM,
                    r.fixed.meanDistanceM, r.floating.meanSpeedMps, r.floating.falls, r.fixed.falls, r.floating.meanSteps);
        }
        return render.drawIfAsked(policyFile, 10.0, seed);
    }

    private EnvOptions envOptions(Policy policy) {
        try {
            return EnvOptions.forPolicy(policy, start, randomize);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + e.getMessage());
        }
    }

    private int robustness(Policy policy, String envId, EnvOptions options) {
        if (robustness < 1) {
            throw new BadInputException("--robustness must be >= 1, was " + robustness);
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1 || t > 256) {
            throw new BadInputException("--threads must be in 1..256, was " + t);
        }
        RobustnessEvaluation.Report r;
        try {
            r = RobustnessEvaluation.run(policy, envId, options, robustness, seed, maxSteps, t);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        int n = r.episodes().length;
        double[] d = r.distances();
        double[] v = r.speeds();
        double[] w = r.settleWaits();
        JsonWriter out = new JsonWriter().put("env", envId).put("options", options.describe()).put("episodes", n)
                .put("falls", r.falls()).put("fall_rate", r.falls() / (double) n).put("falls_fixed", r.fallsFixed())
                .putRaw("distance_m", Json.write(stats(d, true))).putRaw("speed_mps", Json.write(stats(v, false)))
                .putRaw("safety_trips", Json.write(r.safetyTrips()))
                .put("reward_float", r.meanRewardFloat()).put("reward_fixed", r.meanRewardFixed())
                .put("arm_refused", r.armRefusals())
                .putRaw("arm_refused_reasons", Json.write(r.armRefusalReasons()))
                .putRaw("rest_wait_s", Json.write(stats(r.restWaits(), false))).put("stand_up_trips", r.standUpTrips())
                .putRaw("settle_wait_s", Json.write(stats(w, false))).put("settle_timeouts", r.settleTimeouts());
        if (json) {
            System.out.println(out);
        } else {
            System.out.printf(Locale.ROOT, "%s, %d robot starts (%s): falls %d (fixed point %d), distance mean %.2f m,"
                            + " min %.2f m, p10 %.2f m; speed mean %.3f m/s, min %.3f m/s; reward float %.4f, fixed %.4f;"
                            + " safety trips %s; settle wait mean %.2f s, %d timeouts%n",
                    envId, n, options.describe(), r.falls(), r.fallsFixed(), mean(d), min(d), percentile(d, 10), mean(v),
                    min(v), r.meanRewardFloat(), r.meanRewardFixed(), r.safetyTrips(), mean(w), r.settleTimeouts());
        }
        return 0;
    }

    private static Map<String, Object> stats(double[] v, boolean p10) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean(v));
        m.put("min", min(v));
        if (p10) {
            m.put("p10", percentile(v, 10));
        }
        m.put("max", Arrays.stream(v).max().orElse(0));
        return m;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
