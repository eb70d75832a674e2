package dev.chromatic.tools.train;

import dev.chromatic.runtime.json.JsonWriter;
import dev.chromatic.runtime.policy.Policy;
import dev.chromatic.runtime.policy.PolicyFiles;
import dev.chromatic.runtime.policy.TrustedKeys;
import dev.chromatic.tools.BadInputException;
import dev.chromatic.trainer.PolicyEvaluation;
import dev.chromatic.trainer.rollout.TrainingEnvs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chromatic eval}: a policy's return in simulation, float64 and fixed point side by side. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Runs a .cpol policy in its environment with the float64 network and the robot's fixed-point network.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--policy", required = true, description = "Policy file (.cpol).")
    Path policyFile;

    @Option(names = "--env", description = "Environment (default: the policy's stack or task).")
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

    @Override
    public Integer call() throws Exception {
        if (episodes < 1) {
            throw new BadInputException("--episodes must be >= 1, was " + episodes);
        }
        Policy policy = PolicyFiles.load(Files.readAllBytes(policyFile), TrustedKeys.none(), false).policy();
        String envId = env != null ? env : ("plain".equals(policy.stack()) ? policy.task() : policy.stack());
        if (!TrainingEnvs.ids().contains(envId)) {
            throw new BadInputException("--env: unknown env '" + envId + "', expected one of " + TrainingEnvs.ids());
        }
        PolicyEvaluation.Report r;
        try {
            r = PolicyEvaluation.run(policy, envId, episodes, seed, maxSteps);
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
}
